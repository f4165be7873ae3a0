package io.segflow.report;

import java.util.List;
import java.util.Locale;

/**
 * The conditions that best single out one segment from the others on the sample, and how well: the share
 * of the segment they hold for, the share of the other members they hold for too, and of the members they
 * hold for, the share in the segment.
 */
public record SegmentRule(int segment, List<Condition> conditions, double segmentShare, double othersShare,
    double precision) {

  /** {@code low < feature <= high}; an infinite bound is no bound. */
  public record Condition(String feature, double low, double high) {
    public String describe() {
      if (Double.isInfinite(low)) {
        return feature + " ≤ " + number(high);
      }
      if (Double.isInfinite(high)) {
        return feature + " > " + number(low);
      }
      return feature + " in (" + number(low) + ", " + number(high) + "]";
    }
  }

  public SegmentRule {
    conditions = List.copyOf(conditions);
  }

  /** E.g. "recency_days ≤ 30 and frequency > 8". */
  public String when() {
    return conditions.isEmpty() ? "every member" : String.join(" and ",
        conditions.stream().map(Condition::describe).toList());
  }

  /** E.g. "recency_days ≤ 30 and frequency > 8: 91% of this segment, 4% of the others". */
  public String describe() {
    return String.format(Locale.ROOT, "%s: %s of this segment, %s of the others", when(), percent(segmentShare),
        percent(othersShare));
  }

  static String percent(double share) {
    double p = 100 * share;
    return p > 0 && p < 1 ? "<1%" : p < 100 && p > 99 ? ">99%" : String.format(Locale.ROOT, "%.0f%%", p);
  }

  /** Whole numbers as such, others to three significant digits: thresholds are read, not computed with. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }
}

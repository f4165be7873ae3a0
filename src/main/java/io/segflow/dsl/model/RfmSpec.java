package io.segflow.dsl.model;

import java.util.List;

/**
 * RFM scores: recency, frequency and monetary each scored 1 to {@code bins} by their quantiles, then
 * segments named by ordered rules over the scores: the definition's own, or {@link #CLASSIC}.
 *
 * @param features the columns profiled per segment
 * @param segments the definition's own rules; empty for the classic map
 */
public record RfmSpec(String recency, String frequency, String monetary, int bins, List<String> features,
    List<RuleSpec> segments, String defaultSegment) implements SegmentationSpec {
  /** The bins the classic map's score ranges are written for. */
  public static final int CLASSIC_BINS = 5;

  /** The score columns the method adds, in the order recency, frequency, monetary. */
  public static final List<String> SCORES = List.of("r_score", "f_score", "m_score");

  /**
   * The classic segments, from the score ranges of the R package rfm's vignette (0.2.2), ordered so that
   * each is reachable when the first match wins: a narrower range comes before a wider one that contains
   * it (new and promising before potential_loyalist, cant_lose_them before at_risk, lost before hibernating).
   */
  public static final List<ScoreRange> CLASSIC = List.of(
      new ScoreRange("champions", 4, 5, 4, 5, 4, 5, "Bought recently, buy often and spend the most."),
      new ScoreRange("loyal", 2, 5, 3, 5, 3, 5, "Spend good money, often; responsive to promotions."),
      new ScoreRange("cant_lose_them", 1, 1, 4, 5, 4, 5, "Made big purchases, often, but long ago."),
      new ScoreRange("new", 4, 5, 1, 1, 1, 1, "Bought recently, once, not much."),
      new ScoreRange("promising", 3, 4, 1, 1, 1, 1, "Recent shoppers who have not spent much."),
      new ScoreRange("potential_loyalist", 3, 5, 1, 3, 1, 3, "Recent customers, average frequency and spend."),
      new ScoreRange("need_attention", 2, 3, 2, 3, 2, 3, "Average recency, frequency and spend."),
      new ScoreRange("about_to_sleep", 2, 3, 1, 2, 1, 2, "Below average recency, frequency and spend."),
      new ScoreRange("at_risk", 1, 2, 2, 5, 2, 5, "Spent well and often, but long ago."),
      new ScoreRange("lost", 1, 1, 1, 1, 1, 1, "Lowest recency, frequency and spend."),
      new ScoreRange("hibernating", 1, 2, 1, 2, 1, 2, "Low spend, rare purchases, long ago."));

  public RfmSpec {
    features = List.copyOf(features);
    segments = List.copyOf(segments);
  }

  /** The three measures, in the order recency, frequency, monetary. */
  public List<String> measures() {
    return List.of(recency, frequency, monetary);
  }

  /** A classic segment: inclusive ranges of each score. */
  public record ScoreRange(String segment, int recencyLow, int recencyHigh, int frequencyLow, int frequencyHigh,
      int monetaryLow, int monetaryHigh, String description) {
    /** The range as a SQL condition over the score columns. */
    public String when() {
      return between(SCORES.get(0), recencyLow, recencyHigh) + " AND " + between(SCORES.get(1), frequencyLow,
          frequencyHigh) + " AND " + between(SCORES.get(2), monetaryLow, monetaryHigh);
    }

    private static String between(String score, int low, int high) {
      return low == high ? score + " = " + low : score + " BETWEEN " + low + " AND " + high;
    }
  }
}

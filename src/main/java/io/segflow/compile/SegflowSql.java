package io.segflow.compile;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The SQL dialect segflow accepts: Beam SQL (Calcite) plus what analysts write that Beam SQL lacks. Both
 * validation and runs build their SqlTransform here, so what validates is what runs.
 *
 * <p>{@code COUNT(DISTINCT x)}: Beam SQL cannot plan it. It is rewritten to the aggregate
 * {@code COUNT_DISTINCT(x)}, in place: {@code "COUNT(DISTINCT "} and {@code "COUNT_DISTINCT("} have the same
 * length, so every error position in the analyst's SQL stays exact.
 */
public final class SegflowSql {
  private static final Pattern COUNT_DISTINCT = Pattern.compile("(?i)\\bCOUNT\\s*\\(\\s*DISTINCT\\s+");
  private static final String REWRITTEN = "COUNT_DISTINCT(";

  private SegflowSql() {}

  public static SqlTransform transform(String sql) {
    return SqlTransform.query(rewrite(sql)).registerUdaf("COUNT_DISTINCT", new CountDistinctFn());
  }

  /** The SQL with each {@code COUNT(DISTINCT x)} as {@code COUNT_DISTINCT(x)}, padded to keep positions. */
  static String rewrite(String sql) {
    Matcher m = COUNT_DISTINCT.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String match = m.group();
      // The match is at least as long as the rewrite ("COUNT(DISTINCT" plus one space); pad the rest.
      String replacement = match.contains("\n") ? null : REWRITTEN + " ".repeat(match.length() - REWRITTEN.length());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? match : replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The number of distinct non-null values. Typed on strings: Calcite casts any column type to VARCHAR for
   * it (an argument of type ANY trips an assertion inside Calcite for nullable columns), and equal values
   * have equal text.
   */
  public static final class CountDistinctFn extends Combine.CombineFn<String, Set<String>, Long> {
    @Override
    public Set<String> createAccumulator() {
      return new HashSet<>();
    }

    @Override
    public Set<String> addInput(Set<String> accumulator, String value) {
      if (value != null) {
        accumulator.add(value);
      }
      return accumulator;
    }

    @Override
    public Set<String> mergeAccumulators(Iterable<Set<String>> accumulators) {
      Set<String> merged = new HashSet<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public Long extractOutput(Set<String> accumulator) {
      return (long) accumulator.size();
    }

    @Override
    public Coder<Set<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return SetCoder.of(inputCoder);
    }
  }
}

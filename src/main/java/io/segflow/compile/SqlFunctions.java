package io.segflow.compile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The aggregate functions segflow adds to Beam SQL, with BigQuery's semantics. Each gives the same result
 * whatever order the runner feeds it values in, so a run is reproducible on every runner.
 */
public final class SqlFunctions {
  private SqlFunctions() {}

  /**
   * {@code COUNT(DISTINCT x)}: the number of distinct non-null values. Typed on strings: Calcite casts any
   * column type to VARCHAR for it, and equal values have equal text.
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

  /** Count, sum and sum of squares, exact: a double and its square are exact as BigDecimals. */
  public record Moments(long n, BigDecimal sum, BigDecimal sumOfSquares) {
    static final Moments EMPTY = new Moments(0, BigDecimal.ZERO, BigDecimal.ZERO);

    Moments plus(double x) {
      BigDecimal v = new BigDecimal(x);
      return new Moments(n + 1, sum.add(v), sumOfSquares.add(v.multiply(v)));
    }

    Moments plus(Moments o) {
      return new Moments(n + o.n, sum.add(o.sum), sumOfSquares.add(o.sumOfSquares));
    }
  }

  /**
   * {@code STDDEV_SAMP(x)} (also spelled {@code STDDEV}) and {@code STDDEV_POP(x)}: the standard deviation of
   * the non-null values, NULL where there are too few (none for POP, fewer than two for SAMP), as in
   * BigQuery. The variance is computed exactly from exact sums, then rounded once.
   */
  public static final class StddevFn extends Combine.CombineFn<Double, Moments, Double> {
    private final boolean sample;

    public StddevFn(boolean sample) {
      this.sample = sample;
    }

    @Override
    public Moments createAccumulator() {
      return Moments.EMPTY;
    }

    @Override
    public Moments addInput(Moments accumulator, Double value) {
      return value == null || value.isNaN() || value.isInfinite() ? accumulator : accumulator.plus(value);
    }

    @Override
    public Moments mergeAccumulators(Iterable<Moments> accumulators) {
      Moments merged = Moments.EMPTY;
      for (Moments m : accumulators) {
        merged = merged.plus(m);
      }
      return merged;
    }

    @Override
    public Double extractOutput(Moments m) {
      long divisor = sample ? m.n() - 1 : m.n();
      if (divisor <= 0) {
        return null;
      }
      BigDecimal n = BigDecimal.valueOf(m.n());
      // n * sum(x^2) - sum(x)^2 is exact; only the final division rounds.
      BigDecimal numerator = m.sumOfSquares().multiply(n).subtract(m.sum().multiply(m.sum()));
      BigDecimal variance = numerator.divide(n.multiply(BigDecimal.valueOf(divisor)), MathContext.DECIMAL128);
      return Math.sqrt(Math.max(0.0, variance.doubleValue()));
    }

    @Override
    public Coder<Moments> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
      return MomentsCoder.INSTANCE;
    }
  }

  static final class MomentsCoder extends CustomCoder<Moments> {
    static final MomentsCoder INSTANCE = new MomentsCoder();

    @Override
    public void encode(Moments m, OutputStream out) throws IOException {
      VarLongCoder.of().encode(m.n(), out);
      BigDecimalCoder.of().encode(m.sum(), out);
      BigDecimalCoder.of().encode(m.sumOfSquares(), out);
    }

    @Override
    public Moments decode(InputStream in) throws IOException {
      return new Moments(VarLongCoder.of().decode(in), BigDecimalCoder.of().decode(in), BigDecimalCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /**
   * {@code PERCENTILE_CONT(x, p)} and {@code MEDIAN(x)} = {@code PERCENTILE_CONT(x, 0.5)}: the p-quantile of the
   * non-null values with linear interpolation between the two nearest ranks (BigQuery's PERCENTILE_CONT),
   * exact. It keeps the group's values, so memory grows with the largest group.
   */
  public static final class PercentileFn extends Combine.CombineFn<Double, List<Double>, Double> {
    private final double p;

    public PercentileFn(double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("a percentile must be between 0 and 1, got " + p);
      }
      this.p = p;
    }

    @Override
    public List<Double> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<Double> addInput(List<Double> accumulator, Double value) {
      if (value != null && !value.isNaN()) {
        accumulator.add(value);
      }
      return accumulator;
    }

    @Override
    public List<Double> mergeAccumulators(Iterable<List<Double>> accumulators) {
      List<Double> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public Double extractOutput(List<Double> values) {
      if (values.isEmpty()) {
        return null;
      }
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      double rank = p * (sorted.size() - 1);
      int below = (int) Math.floor(rank);
      int above = (int) Math.ceil(rank);
      double lower = sorted.get(below);
      return below == above ? lower : lower + (rank - below) * (sorted.get(above) - lower);
    }

    @Override
    public Coder<List<Double>> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
      return ListCoder.of(DoubleCoder.of());
    }
  }
}

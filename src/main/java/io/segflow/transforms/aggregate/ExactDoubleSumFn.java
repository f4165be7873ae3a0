package io.segflow.transforms.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * {@code SUM} of DOUBLE values whose result does not depend on the order they arrive in: the finite values
 * are added exactly ({@link ExactSum}) and rounded once at the end, so every runner and bundling gives the same bits. A double sum rounds after
 * each addition and differs in the last bits with the order: a customer's spend, and so its distance to a
 * centroid, then differed between the DirectRunner and Flink. NaN and infinities combine as in double
 * arithmetic (NaN wins, +inf and -inf give NaN), also whatever the order. Null inputs are skipped; with no
 * value at all the result is {@code emptyResult}, what the SUM it replaces gives.
 */
public final class ExactDoubleSumFn extends CombineFn<Double, ExactDoubleSumFn.Sum, Double> {
  private final Double emptyResult;

  public ExactDoubleSumFn(Double emptyResult) {
    this.emptyResult = emptyResult;
  }

  /**
   * The exact sum of the finite values, and the double sum of the others (0 when none): the same bits
   * whatever the order of additions and merges. Also what segment profiles sum their features with.
   */
  public static final class Sum {
    boolean any;
    final ExactSum finite = new ExactSum();
    double nonFinite;

    public void add(double x) {
      any = true;
      if (Double.isFinite(x)) {
        finite.add(x);
      } else {
        nonFinite += x;
      }
    }

    public void addAll(Sum other) {
      any |= other.any;
      finite.addAll(other.finite);
      nonFinite += other.nonFinite;
    }

    /** The sum as a double: NaN and infinities as in double arithmetic, else the exact sum rounded once; 0 when empty. */
    public double value() {
      return nonFinite != 0 || Double.isNaN(nonFinite) ? nonFinite : finite.value();
    }
  }

  @Override
  public Sum createAccumulator() {
    return new Sum();
  }

  @Override
  public Sum addInput(Sum sum, Double value) {
    if (value != null) {
      sum.add(value);
    }
    return sum;
  }

  @Override
  public Sum mergeAccumulators(Iterable<Sum> sums) {
    Sum merged = new Sum();
    sums.forEach(merged::addAll);
    return merged;
  }

  @Override
  public Double extractOutput(Sum sum) {
    if (!sum.any) {
      return emptyResult;
    }
    return sum.value();
  }

  @Override
  public Coder<Sum> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
    return SumCoder.of();
  }

  /** Whether anything was added, the non-finite part, then the exact part. */
  public static final class SumCoder extends CustomCoder<Sum> {
    private static final SumCoder INSTANCE = new SumCoder();

    public static SumCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Sum sum, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeBoolean(sum.any);
      data.writeDouble(sum.nonFinite);
      data.flush();
      ExactSum.Coder.of().encode(sum.finite, out);
    }

    @Override
    public Sum decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      Sum sum = new Sum();
      sum.any = data.readBoolean();
      sum.nonFinite = data.readDouble();
      sum.finite.addAll(ExactSum.Coder.of().decode(in));
      return sum;
    }
  }
}

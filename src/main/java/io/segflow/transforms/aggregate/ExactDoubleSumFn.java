package io.segflow.transforms.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * {@code SUM} of DOUBLE values whose result does not depend on the order they arrive in: the finite values
 * are added exactly (every double is a finite binary fraction, which {@link BigDecimal} holds exactly) and
 * rounded once at the end, so every runner and bundling gives the same bits. A double sum rounds after
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

  /** The exact sum of the finite values, and the double sum of the others (0 when none). */
  public static final class Sum {
    boolean any;
    BigDecimal finite = BigDecimal.ZERO;
    double nonFinite;

    void add(double x) {
      any = true;
      if (Double.isFinite(x)) {
        finite = finite.add(new BigDecimal(x));
      } else {
        nonFinite += x;
      }
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
    for (Sum s : sums) {
      merged.any |= s.any;
      merged.finite = merged.finite.add(s.finite);
      merged.nonFinite += s.nonFinite;
    }
    return merged;
  }

  @Override
  public Double extractOutput(Sum sum) {
    if (!sum.any) {
      return emptyResult;
    }
    return sum.nonFinite != 0 || Double.isNaN(sum.nonFinite) ? sum.nonFinite : sum.finite.doubleValue();
  }

  @Override
  public Coder<Sum> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
    return new SumCoder();
  }

  static final class SumCoder extends CustomCoder<Sum> {
    @Override
    public void encode(Sum sum, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeBoolean(sum.any);
      data.writeDouble(sum.nonFinite);
      data.flush();
      BigDecimalCoder.of().encode(sum.finite, out);
    }

    @Override
    public Sum decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      Sum sum = new Sum();
      sum.any = data.readBoolean();
      sum.nonFinite = data.readDouble();
      sum.finite = BigDecimalCoder.of().decode(in);
      return sum;
    }
  }
}

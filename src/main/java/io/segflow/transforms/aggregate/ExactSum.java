package io.segflow.transforms.aggregate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * An exact sum of doubles: a fixed-point integer wide enough for every finite double, kept in 32-bit limbs
 * inside longs so additions need no carries until much later. Because nothing is rounded until
 * {@link #value()}, the result does not depend on the order of additions or merges: the same points give
 * the same bits on every runner, whatever the bundling. That is what makes segflow's k-means and segment
 * profiles deterministic.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Bit position of 2^-1074 (the smallest subnormal) is 0; the largest double's top bit is below 2098. */
  private static final int LIMBS = (2098 + 96) / 32 + 1;
  private static final long MASK = 0xFFFF_FFFFL;
  /** Each limb takes at most 2^32 per addition; normalise well before a signed long could overflow. */
  private static final int ADDS_BEFORE_NORMALISE = 1 << 29;

  private final long[] limbs = new long[LIMBS];
  private int pendingAdds;
  private int low = LIMBS;
  private int high = -1;

  public void add(double v) {
    if (v == 0.0) {
      return;
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("ExactSum takes finite values, got " + v);
    }
    long bits = Double.doubleToRawLongBits(v);
    int biasedExponent = (int) ((bits >>> 52) & 0x7FF);
    long mantissa = bits & 0x000F_FFFF_FFFF_FFFFL;
    int position;
    if (biasedExponent == 0) {
      position = 0; // subnormal: mantissa * 2^-1074
    } else {
      mantissa |= 1L << 52;
      position = biasedExponent - 1;
    }
    int limb = position >>> 5;
    int shift = position & 31;
    long sign = bits < 0 ? -1 : 1;
    long lowPiece = (mantissa << shift) & MASK;
    long rest = mantissa >>> (32 - shift);
    limbs[limb] += sign * lowPiece;
    limbs[limb + 1] += sign * (rest & MASK);
    limbs[limb + 2] += sign * (rest >>> 32);
    low = Math.min(low, limb);
    high = Math.max(high, limb + 2);
    if (++pendingAdds >= ADDS_BEFORE_NORMALISE) {
      normalise();
    }
  }

  public void addAll(ExactSum other) {
    if (other.high < 0) {
      return;
    }
    if (pendingAdds + other.pendingAdds + 1 >= ADDS_BEFORE_NORMALISE) {
      normalise();
    }
    for (int i = other.low; i <= other.high; i++) {
      limbs[i] += other.limbs[i];
    }
    low = Math.min(low, other.low);
    high = Math.max(high, other.high);
    pendingAdds += other.pendingAdds + 1;
  }

  /** Propagates carries so every limb but the top one is in [0, 2^32). */
  private void normalise() {
    long carry = 0;
    for (int i = 0; i < LIMBS - 1; i++) {
      long v = limbs[i] + carry;
      limbs[i] = v & MASK;
      carry = v >> 32; // arithmetic shift: negative values borrow
    }
    limbs[LIMBS - 1] += carry;
    pendingAdds = 0;
    low = 0;
    high = LIMBS - 1;
  }

  /** The sum, correctly rounded to the nearest double. */
  public double value() {
    return exact().doubleValue();
  }

  /** The sum, exactly. */
  public BigDecimal exact() {
    if (high < 0) {
      return BigDecimal.ZERO;
    }
    BigInteger total = BigInteger.ZERO;
    for (int i = high; i >= low; i--) {
      total = total.shiftLeft(32).add(BigInteger.valueOf(limbs[i]));
    }
    if (total.signum() == 0) {
      return BigDecimal.ZERO;
    }
    // value = total * 2^(32*low - 1074), exactly: dividing by a power of two terminates in decimal.
    int exponent = 32 * low - 1074;
    return exponent >= 0
        ? new BigDecimal(total.shiftLeft(exponent))
        : new BigDecimal(total).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-exponent)));
  }

  /** Equal when the sums are the same number, however they were added up. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExactSum other && exact().compareTo(other.exact()) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(value());
  }

  /** The limbs in use and the adds pending, so a decoded sum carries on exactly where it was. */
  public static final class Coder extends AtomicCoder<ExactSum> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ExactSum sum, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(sum.high);
      if (sum.high >= 0) {
        data.writeInt(sum.low);
        data.writeInt(sum.pendingAdds);
        for (int i = sum.low; i <= sum.high; i++) {
          data.writeLong(sum.limbs[i]);
        }
      }
      data.flush();
    }

    @Override
    public ExactSum decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      ExactSum sum = new ExactSum();
      int high = data.readInt();
      if (high < 0) {
        return sum;
      }
      int low = data.readInt();
      if (high >= LIMBS || low < 0 || low > high) {
        throw new CoderException("corrupt ExactSum: limbs " + low + " to " + high);
      }
      sum.high = high;
      sum.low = low;
      sum.pendingAdds = data.readInt();
      for (int i = low; i <= high; i++) {
        sum.limbs[i] = data.readLong();
      }
      return sum;
    }

    @Override
    public void verifyDeterministic() {}
  }
}

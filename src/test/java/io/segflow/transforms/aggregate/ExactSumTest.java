package io.segflow.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  @Test
  void equalsTheCorrectlyRoundedExactSum() {
    Random random = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      ExactSum sum = new ExactSum();
      BigDecimal exact = BigDecimal.ZERO;
      for (int i = 0; i < 2000; i++) {
        double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        sum.add(v);
        exact = exact.add(new BigDecimal(v));
      }
      assertEquals(exact.doubleValue(), sum.value());
      assertEquals(0, exact.compareTo(sum.exact()));
    }
  }

  @Test
  void cancellationThatNaiveSummationGetsWrongIsExact() {
    ExactSum sum = new ExactSum();
    sum.add(1e20);
    sum.add(1.0);
    sum.add(-1e20);
    assertEquals(1.0, sum.value());
    assertEquals(0.0, 1e20 + 1.0 - 1e20, "naive summation loses the 1");
  }

  @Test
  void orderAndGroupingDoNotChangeTheBits() {
    Random random = new Random(9);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      values.add(random.nextGaussian() * Math.exp(random.nextGaussian() * 10));
    }
    double reference = sumInChunks(values, 10_000);
    for (int shuffle = 0; shuffle < 5; shuffle++) {
      Collections.shuffle(values, random);
      assertEquals(Double.doubleToRawLongBits(reference), Double.doubleToRawLongBits(sumInChunks(values, 1 + random.nextInt(700))));
    }
  }

  private static double sumInChunks(List<Double> values, int chunk) {
    ExactSum total = new ExactSum();
    for (int start = 0; start < values.size(); start += chunk) {
      ExactSum part = new ExactSum();
      values.subList(start, Math.min(values.size(), start + chunk)).forEach(part::add);
      total.addAll(part);
    }
    return total.value();
  }

  @Test
  void extremesAndSubnormalsAreExact() {
    ExactSum sum = new ExactSum();
    sum.add(Double.MAX_VALUE);
    sum.add(Double.MIN_VALUE);
    sum.add(-Double.MAX_VALUE);
    assertEquals(Double.MIN_VALUE, sum.value());
    assertThrows(IllegalArgumentException.class, () -> new ExactSum().add(Double.NaN));
    BigDecimal big = new BigDecimal(Double.MAX_VALUE).multiply(BigDecimal.valueOf(3));
    ExactSum many = new ExactSum();
    for (int i = 0; i < 3; i++) {
      many.add(Double.MAX_VALUE);
    }
    assertEquals(0, big.compareTo(many.exact()), "sums beyond the double range stay exact");
    assertEquals(Double.POSITIVE_INFINITY, many.value());
    assertEquals(big.round(MathContext.DECIMAL64), many.exact().round(MathContext.DECIMAL64));
  }
}

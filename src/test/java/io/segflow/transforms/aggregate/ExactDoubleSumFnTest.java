package io.segflow.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class ExactDoubleSumFnTest {
  private final ExactDoubleSumFn fn = new ExactDoubleSumFn(null);

  @Test
  void theSameBitsInEveryOrderAndSplitAndTheCorrectlyRoundedSum() throws Exception {
    Random random = new Random(7);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      values.add((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 10));
    }
    BigDecimal exact = BigDecimal.ZERO;
    for (double v : values) {
      exact = exact.add(new BigDecimal(v));
    }
    double expected = exact.doubleValue();
    boolean naiveDiffered = false;
    for (int trial = 0; trial < 20; trial++) {
      Collections.shuffle(values, random);
      // Split into random parts, each through a coder round trip, then merged: as a runner would.
      List<ExactDoubleSumFn.Sum> parts = new ArrayList<>();
      int start = 0;
      while (start < values.size()) {
        int end = Math.min(values.size(), start + 1 + random.nextInt(300));
        ExactDoubleSumFn.Sum part = fn.createAccumulator();
        values.subList(start, end).forEach(v -> fn.addInput(part, v));
        parts.add(CoderUtils.clone(new ExactDoubleSumFn.SumCoder(), part));
        start = end;
      }
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(fn.extractOutput(fn.mergeAccumulators(parts))));
      double naive = 0;
      for (double v : values) {
        naive += v;
      }
      naiveDiffered |= naive != expected;
    }
    assertEquals(true, naiveDiffered, "the data should be one where adding in order depends on the order");
  }

  @Test
  void nullsAreSkippedAndNonFiniteValuesCombineAsDoublesDo() {
    assertNull(fn.extractOutput(fn.addInput(fn.createAccumulator(), null)), "no value: Beam's empty result");
    assertEquals(0.0, new ExactDoubleSumFn(0.0).extractOutput(new ExactDoubleSumFn(0.0).createAccumulator()));
    assertEquals(3.0, sum(1.0, null, 2.0));
    assertEquals(Double.POSITIVE_INFINITY, sum(1.0, Double.POSITIVE_INFINITY, -5.0));
    assertEquals(Double.NaN, sum(Double.NEGATIVE_INFINITY, 1.0, Double.POSITIVE_INFINITY));
    assertEquals(Double.NaN, sum(Double.NaN, 2.0));
    assertEquals(Double.POSITIVE_INFINITY, sum(1e308, 1e308), "overflow rounds to infinity, as a double sum would");
  }

  private Double sum(Double... values) {
    ExactDoubleSumFn.Sum s = fn.createAccumulator();
    Arrays.stream(values).forEach(v -> fn.addInput(s, v));
    return fn.extractOutput(s);
  }
}

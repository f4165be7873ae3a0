package io.segflow.transforms.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** A summary is equal by value whatever the blocks and merges it was built from, and survives its coder. */
class FeatureStatsTest {
  private static PointBlock block(int from, int to, Random values) {
    PointBlock.Builder b = new PointBlock.Builder(2, to - from, false);
    for (int i = from; i < to; i++) {
      double missing = i % 7 == 0 ? Double.NaN : values.nextGaussian();
      b.add("k" + i, new double[] {values.nextGaussian() * 1e6, missing}, null, 1 + i % 3, Hashing.hash(42, "k" + i));
    }
    return b.build();
  }

  @Test
  void mergedHalvesEqualTheWholeAndRoundTrip() throws Exception {
    PointBlock first = block(0, 300, new Random(1));
    PointBlock second = block(300, 700, new Random(2));
    FeatureStats whole = new FeatureStats(2, 64);
    whole.add(first, null, null, true);
    whole.add(second, null, null, true);
    FeatureStats a = new FeatureStats(2, 64);
    a.add(second, null, null, true);
    FeatureStats b = new FeatureStats(2, 64);
    b.add(first, null, null, true);
    a.merge(b);
    assertEquals(whole, a, "the second block first, merged, equals the whole added in order");
    assertEquals(700, whole.points);
    assertEquals(700 - 100, whole.present[1], "every seventh point misses its second feature");
    assertEquals(64, whole.sample.points().size());
    CoderProperties.coderDecodeEncodeEqual(SerializableCoder.of(FeatureStats.class), whole);
    FeatureStats part = new FeatureStats(2, 64);
    part.add(first, null, null, true);
    assertNotEquals(whole, part);
  }
}

package io.segflow.transforms.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.segflow.transforms.aggregate.ExactSum;
import io.segflow.transforms.points.ClusterSums;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** The fit's accumulators are equal by value, whatever the order they were built in, and survive their coder. */
class AccumulatorEqualityTest {
  /** Points from..to-1, each assigned to cluster (index mod k), hashed by its index. */
  private static ClusterSums sums(List<double[]> points, int from, int to, int k) {
    ClusterSums s = new ClusterSums(k, 2);
    for (int i = from; i < to; i++) {
      double[] p = points.get(i);
      s.add(p, 1.0, i, i % k, p[0] * p[0] + p[1] * p[1]);
    }
    return s;
  }

  @Test
  void sumsAreEqualByValueAndRoundTrip() throws Exception {
    Random random = new Random(9);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      points.add(new double[] {random.nextGaussian(), random.nextGaussian()});
    }
    ExactSum forward = new ExactSum();
    ExactSum backward = new ExactSum();
    for (int i = 0; i < points.size(); i++) {
      forward.add(points.get(i)[0]);
      backward.add(points.get(points.size() - 1 - i)[0]);
    }
    assertEquals(forward, backward, "the same number, added in another order");
    assertEquals(forward.hashCode(), backward.hashCode());
    backward.add(1e-300);
    assertNotEquals(forward, backward);

    // Two halves merged equal the whole, in either order of merging.
    ClusterSums whole = sums(points, 0, 200, 3);
    ClusterSums halves = sums(points, 100, 200, 3);
    halves.merge(sums(points, 0, 100, 3));
    assertEquals(whole, halves, "merged halves equal the whole");
    PassSums a = new PassSums(new ArrayList<>(List.of(whole)));
    PassSums b = new PassSums(new ArrayList<>(List.of(halves)));
    assertEquals(a, b);
    CoderProperties.coderDecodeEncodeEqual(SerializableCoder.of(PassSums.class), a);
    CoderProperties.coderDecodeEncodeEqual(SerializableCoder.of(PassSums.class), b);
    assertNotEquals(a, new PassSums(new ArrayList<>(List.of(sums(points, 0, 100, 3)))));
  }
}

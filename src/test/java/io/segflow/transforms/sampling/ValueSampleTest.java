package io.segflow.transforms.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.points.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class ValueSampleTest {
  private record Member(String key, double orders, double spend) {
    long hash() {
      return Hashing.hash(0L, key);
    }
  }

  @Test
  void keepsTheMembersWithTheSmallestHashesWhateverTheOrderAndTheMerges() throws Exception {
    Random random = new Random(11);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      members.add(new Member("c" + i, random.nextInt(40), i % 7 == 0 ? Double.NaN : random.nextGaussian()));
    }
    // One key many times over with different values: its hash ties, the values decide.
    for (int i = 0; i < 300; i++) {
      members.add(new Member("c17", i, -i));
    }
    int capacity = 120;
    List<Member> expected = new ArrayList<>(members);
    expected.sort(Comparator.comparingLong(Member::hash).thenComparingDouble(Member::orders)
        .thenComparingDouble(Member::spend));
    expected = expected.subList(0, capacity);
    double[] expectedOrders = expected.stream().mapToDouble(Member::orders).sorted().toArray();
    double[] expectedSpend = expected.stream().mapToDouble(Member::spend).filter(x -> !Double.isNaN(x)).sorted()
        .toArray();
    for (int order = 0; order < 5; order++) {
      Collections.shuffle(members, random);
      // Split into accumulators of random sizes, some through the coder, merged in a random order.
      List<ValueSample> parts = new ArrayList<>();
      int at = 0;
      while (at < members.size()) {
        int end = Math.min(members.size(), at + 1 + random.nextInt(700));
        ValueSample part = new ValueSample(2, capacity);
        for (Member m : members.subList(at, end)) {
          part.add(m.hash(), new double[] {m.orders(), m.spend()});
        }
        parts.add(random.nextBoolean() ? part : CoderUtils.clone(ValueSample.SampleCoder.of(), part));
        at = end;
      }
      Collections.shuffle(parts, random);
      ValueSample merged = new ValueSample(2, capacity);
      parts.forEach(merged::merge);
      assertTrue(merged.isSample());
      assertArrayEquals(expectedOrders, sorted(merged.presentValues(0)), "order " + order);
      assertArrayEquals(expectedSpend, sorted(merged.presentValues(1)), "order " + order);
    }
  }

  @Test
  void upToItsCapacityItKeepsEveryMembersValues() throws Exception {
    ValueSample sample = new ValueSample(1, 50);
    for (int i = 0; i < 50; i++) {
      sample.add(Hashing.hash(0L, "m" + i), new double[] {i == 3 ? Double.NaN : i});
    }
    ValueSample copy = CoderUtils.clone(ValueSample.SampleCoder.of(), sample);
    double[] all = java.util.stream.IntStream.range(0, 50).filter(i -> i != 3).asDoubleStream().toArray();
    for (ValueSample s : List.of(sample, copy)) {
      assertFalse(s.isSample());
      assertArrayEquals(all, sorted(s.presentValues(0)));
    }
    sample.add(Hashing.hash(0L, "one more"), new double[] {99});
    assertTrue(sample.isSample());
    assertTrue(sample.presentValues(0).length <= 50);
  }

  @Test
  void aCapacityItsArraysCannotHoldIsRefused() {
    org.junit.jupiter.api.Assertions.assertEquals("a sample of 8 features holds from one member to 134217727, "
        + "got capacity 200000000", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new ValueSample(8, 200_000_000)).getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ValueSample(2, 0));
  }

  private static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}

package io.segflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SurrogateTreeTest {

  /** Segment 1 is exactly "recency ≤ 30 and orders > 8": the tree must find both thresholds, exactly. */
  @Test
  void findsTheConditionsThatDefineASegment() {
    Random random = new Random(7);
    int n = 2_000;
    int[] segments = new int[n];
    double[][] values = new double[n][3];
    for (int i = 0; i < n; i++) {
      double recency = random.nextInt(365);
      double orders = random.nextInt(20);
      double noise = random.nextGaussian();
      values[i] = new double[] {recency, orders, noise};
      segments[i] = recency <= 30 && orders > 8 ? 1 : recency > 200 ? 2 : 0;
    }
    RunFolder.Sample sample = new RunFolder.Sample(List.of("recency", "orders", "noise"), segments, values);

    SegmentRule rule = SurrogateTree.forSample(n).explain(sample, 1).orElseThrow();

    assertEquals(List.of(new SegmentRule.Condition("recency", Double.NEGATIVE_INFINITY, 30),
        new SegmentRule.Condition("orders", 8, Double.POSITIVE_INFINITY)),
        rule.conditions().stream().sorted(java.util.Comparator.comparing(SegmentRule.Condition::feature).reversed())
            .toList());
    assertEquals(1.0, rule.segmentShare());
    assertEquals(0.0, rule.othersShare());
    assertEquals(1.0, rule.precision());
    assertTrue(rule.describe().endsWith(": 100% of this segment, 0% of the others"), rule.describe());
  }

  /** Overlapping segments: the figures are what the rule does on the sample, counted here by hand. */
  @Test
  void reportsHowWellAnImperfectRuleMatches() {
    Random random = new Random(11);
    int n = 1_000;
    int[] segments = new int[n];
    double[][] values = new double[n][1];
    for (int i = 0; i < n; i++) {
      values[i][0] = random.nextDouble() * 100;
      // Mostly above 60, with 10% of labels flipped: no threshold separates them perfectly.
      boolean high = values[i][0] > 60;
      segments[i] = (random.nextDouble() < 0.1) != high ? 1 : 0;
    }
    RunFolder.Sample sample = new RunFolder.Sample(List.of("x"), segments, values);

    SegmentRule rule = SurrogateTree.forSample(n).explain(sample, 1).orElseThrow();

    int inSegment = 0;
    int others = 0;
    int matchedIn = 0;
    int matchedOthers = 0;
    for (int i = 0; i < n; i++) {
      boolean matches = holds(rule, values[i][0]);
      if (segments[i] == 1) {
        inSegment++;
        matchedIn += matches ? 1 : 0;
      } else {
        others++;
        matchedOthers += matches ? 1 : 0;
      }
    }
    assertEquals((double) matchedIn / inSegment, rule.segmentShare(), 1e-12);
    assertEquals((double) matchedOthers / others, rule.othersShare(), 1e-12);
    assertTrue(rule.segmentShare() > 0.8 && rule.othersShare() < 0.2, rule.describe());
  }

  @Test
  void aSegmentAbsentFromTheSampleHasNoRule() {
    RunFolder.Sample sample = new RunFolder.Sample(List.of("x"), new int[] {0, 0, 1}, new double[][] {{1}, {2}, {3}});
    assertTrue(SurrogateTree.forSample(3).explain(sample, 7).isEmpty());
  }

  @Test
  void aPathsBoundsOnOneFeatureBecomeOneCondition() {
    List<SegmentRule.Condition> path = List.of(
        new SegmentRule.Condition("x", Double.NEGATIVE_INFINITY, 50),
        new SegmentRule.Condition("y", 3, Double.POSITIVE_INFINITY),
        new SegmentRule.Condition("x", 10, Double.POSITIVE_INFINITY));
    assertEquals(List.of(new SegmentRule.Condition("x", 10, 50), new SegmentRule.Condition("y", 3,
        Double.POSITIVE_INFINITY)), SurrogateTree.simplify(path));
    assertEquals("x in (10, 50]", SurrogateTree.simplify(path).get(0).describe());
    assertEquals("y > 3", SurrogateTree.simplify(path).get(1).describe());
  }

  @Test
  void thresholdsReadAsPeopleWriteThem() {
    assertEquals("8", SegmentRule.number(8.0));
    assertEquals("12,500", SegmentRule.number(12_500.0));
    assertEquals("0.123", SegmentRule.number(0.12345));
    assertEquals("1230", SegmentRule.number(1234.5678));
    assertEquals("<1%", SegmentRule.percent(0.004));
    assertEquals(">99%", SegmentRule.percent(0.996));
    assertEquals("0%", SegmentRule.percent(0));
  }

  private static boolean holds(SegmentRule rule, double x) {
    return rule.conditions().stream().allMatch(c -> x > c.low() && x <= c.high());
  }
}

package io.segflow.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Explains a segment by a shallow decision tree that tells its members from the others on the sample (one
 * against the rest, Gini impurity, CART's axis-aligned splits), and keeps the leaf whose path best matches
 * the segment (highest F1). Hand-written because the library the issue names (Tribuo) is not served by this
 * project's registry and the served alternatives (Smile, Weka) are GPL; a depth-three tree on a few thousand
 * points is a small, fully tested piece.
 *
 * <p>Splits use the data's own values as thresholds ({@code x <= v}), so rules read "frequency > 8", not
 * "frequency > 8.5". A point with a missing feature goes to neither side of a split on it, and so is never
 * claimed by a rule on it.
 */
public final class SurrogateTree {
  private final int maxDepth;
  private final int minLeaf;

  private SurrogateTree(int maxDepth, int minLeaf) {
    this.maxDepth = maxDepth;
    this.minLeaf = minLeaf;
  }

  /** Depth three (at most three conditions); leaves of at least 1% of the sample, and at least five points. */
  public static SurrogateTree forSample(int points) {
    return new SurrogateTree(3, Math.max(5, points / 100));
  }

  /** The best rule for {@code segment}, or empty when the sample has none of its members. */
  public Optional<SegmentRule> explain(RunFolder.Sample sample, int segment) {
    int n = sample.size();
    int positives = 0;
    for (int s : sample.segments()) {
      positives += s == segment ? 1 : 0;
    }
    if (positives == 0) {
      return Optional.empty();
    }
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    Best best = new Best(positives, n - positives);
    grow(sample, segment, all, new ArrayList<>(), 0, best);
    return Optional.of(new SegmentRule(segment, simplify(best.path), (double) best.tp / positives,
        n == positives ? 0 : (double) best.fp / (n - positives), best.tp + best.fp == 0 ? 0
            : (double) best.tp / (best.tp + best.fp)));
  }

  /** The leaf with the highest F1 so far, and its path. */
  private static final class Best {
    final int positives;
    final int negatives;
    double f1 = -1;
    int tp;
    int fp;
    List<SegmentRule.Condition> path = List.of();

    Best(int positives, int negatives) {
      this.positives = positives;
      this.negatives = negatives;
    }

    void offer(int leafTp, int leafFp, List<SegmentRule.Condition> leafPath) {
      double score = 2.0 * leafTp / (2.0 * leafTp + leafFp + (positives - leafTp));
      // Ties go to the shorter rule: fewer words for the same match.
      if (score > f1 + 1e-12 || (Math.abs(score - f1) <= 1e-12 && leafPath.size() < path.size())) {
        f1 = score;
        tp = leafTp;
        fp = leafFp;
        path = List.copyOf(leafPath);
      }
    }
  }

  private void grow(RunFolder.Sample sample, int segment, int[] node, List<SegmentRule.Condition> path, int depth,
      Best best) {
    int tp = 0;
    for (int i : node) {
      tp += sample.segments()[i] == segment ? 1 : 0;
    }
    best.offer(tp, node.length - tp, path);
    if (depth == maxDepth || tp == 0 || tp == node.length) {
      return;
    }
    Split split = bestSplit(sample, segment, node);
    if (split == null) {
      return;
    }
    String feature = sample.features().get(split.feature);
    int[] left = Arrays.stream(node).filter(i -> sample.values()[i][split.feature] <= split.threshold).toArray();
    int[] right = Arrays.stream(node).filter(i -> sample.values()[i][split.feature] > split.threshold).toArray();
    path.add(new SegmentRule.Condition(feature, Double.NEGATIVE_INFINITY, split.threshold));
    grow(sample, segment, left, path, depth + 1, best);
    path.set(path.size() - 1, new SegmentRule.Condition(feature, split.threshold, Double.POSITIVE_INFINITY));
    grow(sample, segment, right, path, depth + 1, best);
    path.remove(path.size() - 1);
  }

  private record Split(int feature, double threshold) {}

  /** The split with the lowest weighted Gini impurity whose sides both hold {@code minLeaf} points. */
  private Split bestSplit(RunFolder.Sample sample, int segment, int[] node) {
    Split best = null;
    double bestImpurity = Double.POSITIVE_INFINITY;
    for (int f = 0; f < sample.features().size(); f++) {
      final int feature = f;
      int[] sorted = Arrays.stream(node).filter(i -> !Double.isNaN(sample.values()[i][feature])).boxed()
          .sorted((a, b) -> Double.compare(sample.values()[a][feature], sample.values()[b][feature]))
          .mapToInt(Integer::intValue).toArray();
      int total = sorted.length;
      int totalPositive = 0;
      for (int i : sorted) {
        totalPositive += sample.segments()[i] == segment ? 1 : 0;
      }
      int leftPositive = 0;
      for (int k = 0; k < total - 1; k++) {
        leftPositive += sample.segments()[sorted[k]] == segment ? 1 : 0;
        double v = sample.values()[sorted[k]][feature];
        if (v == sample.values()[sorted[k + 1]][feature]) {
          continue; // a threshold between equal values does not split them
        }
        int leftSize = k + 1;
        int rightSize = total - leftSize;
        if (leftSize < minLeaf || rightSize < minLeaf) {
          continue;
        }
        double impurity = leftSize * gini(leftPositive, leftSize)
            + rightSize * gini(totalPositive - leftPositive, rightSize);
        if (impurity < bestImpurity - 1e-9) {
          bestImpurity = impurity;
          best = new Split(feature, v);
        }
      }
    }
    return best;
  }

  private static double gini(int positive, int size) {
    double p = (double) positive / size;
    return 2 * p * (1 - p);
  }

  /** One condition per feature: the path's bounds on it intersected, in the order the features first appear. */
  static List<SegmentRule.Condition> simplify(List<SegmentRule.Condition> path) {
    java.util.LinkedHashMap<String, double[]> bounds = new java.util.LinkedHashMap<>();
    for (SegmentRule.Condition c : path) {
      double[] b = bounds.computeIfAbsent(c.feature(),
          k -> new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
      b[0] = Math.max(b[0], c.low());
      b[1] = Math.min(b[1], c.high());
    }
    List<SegmentRule.Condition> out = new ArrayList<>();
    bounds.forEach((feature, b) -> out.add(new SegmentRule.Condition(feature, b[0], b[1])));
    return out;
  }
}

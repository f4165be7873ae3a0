package io.segflow.transforms.points;

import io.segflow.transforms.aggregate.ExactSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Comparators;

/**
 * What one pass over the data learns about a partition into clusters with centres (k-means' candidates, a
 * bisecting tree's nodes): per cluster the exact weighted sum of its points, its weight, count, sum of
 * distances and of squared distances to its centre; and the points farthest from their centres, to re-seed
 * clusters that lose all their points. O(k·d) in size, whatever the data; exact sums make the merged result
 * the same whatever the bundling. {@link ClusterQuality} reads its figures.
 */
public final class ClusterSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A point far from its centroid, kept to re-seed an empty cluster. */
  public record Far(double weightedDistance, long hash, double[] point) implements Serializable {}

  private static final Comparator<Far> FARTHEST_FIRST = Comparator.comparingDouble(Far::weightedDistance).reversed()
      .thenComparingLong(Far::hash)
      .thenComparing(Far::point, Arrays::compare);

  private final int k;
  private final int d;
  private final ExactSum[] sums;
  private final ExactSum[] weights;
  private final ExactSum[] distances;
  private final ExactSum[] squaredDistances;
  private final long[] counts;
  private ArrayList<Far> farthest = new ArrayList<>();
  private double farthestFloor = Double.NEGATIVE_INFINITY;

  public ClusterSums(int k, int d) {
    this.k = k;
    this.d = d;
    sums = newSums(k * d);
    weights = newSums(k);
    distances = newSums(k);
    squaredDistances = newSums(k);
    counts = new long[k];
  }

  private static ExactSum[] newSums(int n) {
    ExactSum[] out = new ExactSum[n];
    for (int i = 0; i < n; i++) {
      out[i] = new ExactSum();
    }
    return out;
  }

  /** Adds a scaled point assigned to {@code cluster} at squared distance {@code d2}. */
  public void add(double[] point, double weight, long hash, int cluster, double d2) {
    counts[cluster]++;
    weights[cluster].add(weight);
    for (int j = 0; j < d; j++) {
      sums[cluster * d + j].add(weight * point[j]);
    }
    distances[cluster].add(weight * Math.sqrt(d2));
    squaredDistances[cluster].add(weight * d2);
    double wd = weight * d2;
    if (wd > farthestFloor || farthest.size() < k) {
      farthest.add(new Far(wd, hash, point.clone()));
      if (farthest.size() >= 4 * k) {
        trimFarthest();
      }
    }
  }

  public void merge(ClusterSums other) {
    for (int i = 0; i < k * d; i++) {
      sums[i].addAll(other.sums[i]);
    }
    for (int c = 0; c < k; c++) {
      weights[c].addAll(other.weights[c]);
      distances[c].addAll(other.distances[c]);
      squaredDistances[c].addAll(other.squaredDistances[c]);
      counts[c] += other.counts[c];
    }
    farthest.addAll(other.farthest);
    trimFarthest();
  }

  private void trimFarthest() {
    farthest.sort(FARTHEST_FIRST);
    if (farthest.size() > k) {
      farthest = new ArrayList<>(farthest.subList(0, k));
    }
    if (farthest.size() == k) {
      farthestFloor = farthest.get(k - 1).weightedDistance();
    }
  }

  /** The points farthest from their centroids, farthest first (at most k); leaves the sums as they are. */
  public List<Far> farthest() {
    List<Far> sorted = new ArrayList<>(farthest);
    sorted.sort(FARTHEST_FIRST);
    return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
  }

  /** The sums of clusters 0..n-1 alone (sharing this one's accumulators, which must no longer change). */
  public ClusterSums first(int n) {
    ClusterSums out = new ClusterSums(n, d);
    System.arraycopy(sums, 0, out.sums, 0, n * d);
    System.arraycopy(weights, 0, out.weights, 0, n);
    System.arraycopy(distances, 0, out.distances, 0, n);
    System.arraycopy(squaredDistances, 0, out.squaredDistances, 0, n);
    System.arraycopy(counts, 0, out.counts, 0, n);
    return out;
  }

  /** The weighted sum of squared distances to the centres. */
  public double inertia() {
    ExactSum total = new ExactSum();
    for (ExactSum s : squaredDistances) {
      total.addAll(s);
    }
    return total.value();
  }

  public long points() {
    return Arrays.stream(counts).sum();
  }

  /** The number of clusters. */
  public int k() {
    return k;
  }

  public int dimensions() {
    return d;
  }

  public long count(int cluster) {
    return counts[cluster];
  }

  public double weight(int cluster) {
    return weights[cluster].value();
  }

  /** Whether the cluster has points of positive weight, so a mean. */
  public boolean hasMean(int cluster) {
    return counts[cluster] > 0 && weights[cluster].value() > 0;
  }

  /** The weighted mean of the cluster's points on one axis; only where {@link #hasMean}. */
  public double mean(int cluster, int axis) {
    return sums[cluster * d + axis].value() / weights[cluster].value();
  }

  /** The weighted mean distance of the cluster's points to its centre; only where {@link #hasMean}. */
  public double meanDistance(int cluster) {
    return distances[cluster].value() / weights[cluster].value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSums other && k == other.k && d == other.d
        && Arrays.equals(sums, other.sums) && Arrays.equals(weights, other.weights)
        && Arrays.equals(distances, other.distances)
        && Arrays.equals(squaredDistances, other.squaredDistances)
        && Arrays.equals(counts, other.counts)
        // The same far points in the same order: records holding arrays compare by identity.
        && Comparators.lexicographical(FARTHEST_FIRST).compare(farthest(), other.farthest()) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(k, d, Arrays.hashCode(counts));
  }
}

package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.Hashing;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Weighted k-means in memory, on a summary small enough to iterate on freely: greedy k-means++ seeding
 * (2 + ln k candidates per step, keeping the one that lowers the potential most, as scikit-learn does),
 * Lloyd iterations until the centroids move less than the tolerance, and several seeded restarts of
 * which the lowest inertia wins (ties to the lower restart index, so the choice is deterministic).
 */
final class LocalKMeans {
  /** The centroids (row-major, k × d) of one solve, with how it went. */
  record Solution(double[] centroids, double inertia, int iterations, boolean converged) {}

  private final int k;
  private final int d;
  private final Init init;
  private final int maxIterations;
  private final double tolerance;
  private final EmptyClusterPolicy emptyClusters;

  LocalKMeans(int k, int dimensions, Init init, int maxIterations, double tolerance, EmptyClusterPolicy emptyClusters) {
    this.k = k;
    this.d = dimensions;
    this.init = init;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.emptyClusters = emptyClusters;
  }

  /** The best of {@code restarts} solves, each seeded from {@code seed} and its index, improved by swaps. */
  Solution solve(double[] points, double[] weights, int restarts, long seed) {
    return improveBySwaps(points, weights, bestOfRestarts(points, weights, restarts, seed),
        toleranceAbs(points, weights));
  }

  /** The best of {@code restarts} k-means++ (or random) starts, each followed by Lloyd to convergence. */
  Solution bestOfRestarts(double[] points, double[] weights, int restarts, long seed) {
    int n = weights.length;
    int distinct = distinctPoints(points, n, k);
    if (distinct < k) {
      throw new IllegalArgumentException("KMeans: k=" + k + " but the data has only " + distinct
          + " distinct point" + (distinct == 1 ? "" : "s") + " after preparation; lower k");
    }
    double toleranceAbs = toleranceAbs(points, weights);
    Solution[] solutions = new Solution[restarts];
    IntStream.range(0, restarts).parallel().forEach(r -> solutions[r] =
        solveOnce(points, weights, new SplittableRandom(Hashing.mix(seed * 0x9E37_79B9_7F4A_7C15L + r)), toleranceAbs));
    Solution best = solutions[0];
    for (int r = 1; r < restarts; r++) {
      if (solutions[r].inertia() < best.inertia()) {
        best = solutions[r];
      }
    }
    return best;
  }

  /** The tolerance on the centroids' squared shift, in the points' units (scikit-learn's). */
  private double toleranceAbs(double[] points, double[] weights) {
    return tolerance * meanVariance(points, weights, d);
  }

  /** Removal candidates and split candidates tried after each accepted swap: up to SWAP_WIDTH² pairs. */
  private static final int SWAP_WIDTH = 3;

  /**
   * The most point-centroid distances the swaps may compute, a few seconds of one core: at large k on a
   * large sample each Lloyd run costs more, and the swaps stop earlier rather than run for minutes.
   */
  static final long SWAP_WORK = 4_000_000_000L;

  /**
   * Lloyd stops at a local optimum, and at large k the usual one has two centroids sharing a group while
   * another straddles two: no restart count escapes that reliably. So, from the best restart: move the
   * centroid whose removal costs least (its members' distance to their second-nearest centroid, less
   * their distance to it) into the cluster with the largest error, at its member farthest from the
   * centroid, re-run Lloyd, and keep the result only if the inertia fell; stop when no pair of the
   * {@value #SWAP_WIDTH} cheapest removals and {@value #SWAP_WIDTH} largest errors helps, after 2k + 10
   * Lloyd runs, or after {@link #SWAP_WORK} distances. Deterministic, and never worse than the restart it
   * starts from.
   */
  Solution improveBySwaps(double[] points, double[] weights, Solution start, double toleranceAbs) {
    if (k < 3) {
      return start; // with two clusters a swap only re-seeds the split Lloyd already made
    }
    int n = weights.length;
    Solution best = start;
    int budget = 2 * k + 10;
    long work = 0;
    Nearest finder = new Nearest();
    int[] labels = new int[n];
    double[] first = new double[n];
    boolean improved = true;
    while (improved && budget > 0 && work < SWAP_WORK) {
      improved = false;
      double[] removalCost = new double[k];
      double[] error = new double[k];
      for (int i = 0; i < n; i++) {
        labels[i] = finder.of(points, i * d, best.centroids(), k, d);
        first[i] = finder.first;
        removalCost[labels[i]] += weights[i] * (finder.second - finder.first);
        error[labels[i]] += weights[i] * finder.first;
      }
      int[] cheapest = order(removalCost, true);
      int[] largest = order(error, false);
      for (int a = 0; a < SWAP_WIDTH && !improved && budget > 0 && work < SWAP_WORK; a++) {
        for (int b = 0; b < SWAP_WIDTH && !improved && budget > 0 && work < SWAP_WORK; b++) {
          int removed = cheapest[a];
          int split = largest[b];
          if (removed == split) {
            continue;
          }
          int far = -1;
          for (int i = 0; i < n; i++) {
            if (labels[i] == split && (far < 0 || weights[i] * first[i] > weights[far] * first[far])) {
              far = i;
            }
          }
          double[] start2 = best.centroids().clone();
          System.arraycopy(points, far * d, start2, removed * d, d);
          Solution tried = lloyd(points, weights, start2, toleranceAbs);
          budget--;
          work += (long) (tried.iterations() + 1) * n * k * d;
          if (tried.inertia() < best.inertia() * (1 - 1e-12)) {
            best = new Solution(tried.centroids(), tried.inertia(), best.iterations() + tried.iterations(),
                tried.converged());
            improved = true;
          }
        }
      }
    }
    return best;
  }

  /** Cluster indexes by value, ascending or descending, ties to the lower index. */
  private static int[] order(double[] values, boolean ascending) {
    return IntStream.range(0, values.length).boxed()
        .sorted((x, y) -> {
          int byValue = ascending ? Double.compare(values[x], values[y]) : Double.compare(values[y], values[x]);
          return byValue != 0 ? byValue : Integer.compare(x, y);
        })
        .mapToInt(Integer::intValue).toArray();
  }

  /** Lloyd iterations from the given start; used for the in-memory solve and its tests. */
  Solution lloyd(double[] points, double[] weights, double[] start, double toleranceAbs) {
    int n = weights.length;
    double[] centroids = start.clone();
    int[] labels = new int[n];
    double[] nearest = new double[n];
    double[] sums = new double[k * d];
    double[] clusterWeight = new double[k];
    int iteration = 0;
    boolean converged = false;
    while (iteration < maxIterations && !converged) {
      iteration++;
      assign(points, centroids, labels, nearest, n);
      java.util.Arrays.fill(sums, 0);
      java.util.Arrays.fill(clusterWeight, 0);
      for (int i = 0; i < n; i++) {
        int c = labels[i];
        double w = weights[i];
        clusterWeight[c] += w;
        for (int j = 0; j < d; j++) {
          sums[c * d + j] += w * points[i * d + j];
        }
      }
      double[] next = new double[k * d];
      boolean[] empty = new boolean[k];
      for (int c = 0; c < k; c++) {
        if (clusterWeight[c] > 0) {
          for (int j = 0; j < d; j++) {
            next[c * d + j] = sums[c * d + j] / clusterWeight[c];
          }
        } else {
          empty[c] = true;
        }
      }
      reseedEmpty(points, weights, nearest, next, empty, iteration);
      double shift = 0;
      for (int i = 0; i < k * d; i++) {
        double delta = next[i] - centroids[i];
        shift += delta * delta;
      }
      centroids = next;
      converged = shift <= toleranceAbs;
    }
    assign(points, centroids, labels, nearest, n);
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      inertia += weights[i] * nearest[i];
    }
    return new Solution(centroids, inertia, iteration, converged);
  }

  private Solution solveOnce(double[] points, double[] weights, SplittableRandom random, double toleranceAbs) {
    double[] start = init == Init.RANDOM ? randomStart(points, weights, random) : kMeansPlusPlus(points, weights, random);
    return lloyd(points, weights, start, toleranceAbs);
  }

  private void reseedEmpty(double[] points, double[] weights, double[] nearest, double[] next, boolean[] empty, int iteration) {
    boolean[] used = null;
    for (int c = 0; c < k; c++) {
      if (!empty[c]) {
        continue;
      }
      if (emptyClusters == EmptyClusterPolicy.ERROR) {
        throw new IllegalStateException("KMeans: cluster " + c + " lost all its points in iteration " + iteration
            + " and the empty-cluster policy is ERROR");
      }
      if (used == null) {
        used = new boolean[weights.length];
      }
      int far = -1;
      for (int i = 0; i < weights.length; i++) {
        if (!used[i] && (far < 0 || weights[i] * nearest[i] > weights[far] * nearest[far])) {
          far = i;
        }
      }
      used[far] = true;
      System.arraycopy(points, far * d, next, c * d, d);
    }
  }

  void assign(double[] points, double[] centroids, int[] labels, double[] nearest, int n) {
    Nearest finder = new Nearest();
    for (int i = 0; i < n; i++) {
      labels[i] = finder.of(points, i * d, centroids, k, d);
      nearest[i] = finder.first;
    }
  }

  private double[] kMeansPlusPlus(double[] points, double[] weights, SplittableRandom random) {
    int n = weights.length;
    double[] centroids = new double[k * d];
    int first = pick(weights, null, random.nextDouble());
    System.arraycopy(points, first * d, centroids, 0, d);
    double[] closest = new double[n];
    for (int i = 0; i < n; i++) {
      closest[i] = distance(points, i, centroids, 0);
    }
    int trials = 2 + (int) Math.log(k);
    double[] candidateClosest = new double[n];
    double[] bestClosest = new double[n];
    for (int c = 1; c < k; c++) {
      double bestPotential = Double.POSITIVE_INFINITY;
      int bestCandidate = -1;
      for (int t = 0; t < trials; t++) {
        int candidate = pick(weights, closest, random.nextDouble());
        double potential = 0;
        for (int i = 0; i < n; i++) {
          candidateClosest[i] = Math.min(closest[i], distanceBetween(points, i, candidate));
          potential += weights[i] * candidateClosest[i];
        }
        if (potential < bestPotential) {
          bestPotential = potential;
          bestCandidate = candidate;
          System.arraycopy(candidateClosest, 0, bestClosest, 0, n);
        }
      }
      System.arraycopy(points, bestCandidate * d, centroids, c * d, d);
      System.arraycopy(bestClosest, 0, closest, 0, n);
    }
    return centroids;
  }

  private double[] randomStart(double[] points, double[] weights, SplittableRandom random) {
    double[] centroids = new double[k * d];
    double[] remaining = weights.clone();
    for (int c = 0; c < k; c++) {
      int chosen = pick(remaining, null, random.nextDouble());
      remaining[chosen] = 0;
      System.arraycopy(points, chosen * d, centroids, c * d, d);
    }
    return centroids;
  }

  /** Index drawn with probability proportional to weight (times {@code by}, if given). */
  private static int pick(double[] weights, double[] by, double u) {
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      total += by == null ? weights[i] : weights[i] * by[i];
    }
    double target = u * total;
    double running = 0;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      double mass = by == null ? weights[i] : weights[i] * by[i];
      if (mass > 0) {
        last = i;
        running += mass;
        if (running > target) {
          return i;
        }
      }
    }
    return Math.max(last, 0);
  }

  private double distance(double[] points, int i, double[] centroids, int c) {
    double dist = 0;
    for (int j = 0; j < d; j++) {
      double delta = points[i * d + j] - centroids[c * d + j];
      dist += delta * delta;
    }
    return dist;
  }

  private double distanceBetween(double[] points, int a, int b) {
    double dist = 0;
    for (int j = 0; j < d; j++) {
      double delta = points[a * d + j] - points[b * d + j];
      dist += delta * delta;
    }
    return dist;
  }

  /** scikit-learn's tolerance scale: the mean over features of the (weighted) variance. */
  static double meanVariance(double[] points, double[] weights, int d) {
    int n = weights.length;
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double sum = 0;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += weights[i] * points[i * d + j];
      }
      mean /= total;
      double var = 0;
      for (int i = 0; i < n; i++) {
        double delta = points[i * d + j] - mean;
        var += weights[i] * delta * delta;
      }
      sum += var / total;
    }
    return sum / d;
  }

  /** Distinct points, counted up to {@code enough}. */
  private int distinctPoints(double[] points, int n, int enough) {
    java.util.HashSet<java.util.List<Double>> seen = new java.util.HashSet<>();
    for (int i = 0; i < n && seen.size() < enough; i++) {
      Double[] row = new Double[d];
      for (int j = 0; j < d; j++) {
        row[j] = points[i * d + j];
      }
      seen.add(java.util.Arrays.asList(row));
    }
    return seen.size();
  }
}

package io.segflow.transforms.density;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A k-d tree over points given row-major, for the two questions density clustering asks many times: which
 * points lie within a radius of a point, and which is the nearest (and at what distance the k-th nearest
 * lies). Built once, read-only after, so one tree serves every thread. Splits on the widest dimension at the
 * median; leaves hold up to {@link #LEAF} points, scanned directly.
 */
final class KdTree {
  private static final int LEAF = 16;

  private final double[] points;
  private final int d;
  /** Point indices, reordered so that every node's points are one contiguous range. */
  private final int[] order;
  /** Per node (heap numbering, root 1): split dimension, or -1 for a leaf. */
  private final int[] splitDim;
  private final double[] splitValue;
  private final int[] from;
  private final int[] to;

  /** @param points n points of {@code d} dimensions, row-major; not copied, not to be changed after */
  KdTree(double[] points, int d) {
    this.points = points;
    this.d = d;
    int n = points.length / d;
    this.order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int nodes = 2 * Integer.highestOneBit(Math.max(1, 2 * n / LEAF + 1)) * 2;
    splitDim = new int[nodes];
    splitValue = new double[nodes];
    from = new int[nodes];
    to = new int[nodes];
    build(1, 0, n);
  }

  int size() {
    return order.length;
  }

  private void build(int node, int lo, int hi) {
    from[node] = lo;
    to[node] = hi;
    if (hi - lo <= LEAF || 2 * node + 1 >= splitDim.length) {
      splitDim[node] = -1;
      return;
    }
    int dim = widest(lo, hi);
    int mid = (lo + hi) >>> 1;
    select(lo, hi - 1, mid, dim);
    splitDim[node] = dim;
    splitValue[node] = points[order[mid] * d + dim];
    build(2 * node, lo, mid);
    build(2 * node + 1, mid, hi);
  }

  private int widest(int lo, int hi) {
    int best = 0;
    double bestSpread = -1;
    for (int j = 0; j < d; j++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = lo; i < hi; i++) {
        double v = points[order[i] * d + j];
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (max - min > bestSpread) {
        bestSpread = max - min;
        best = j;
      }
    }
    return best;
  }

  /** Quickselect on {@code order[lo..hi]}: the k-th smallest in dimension {@code dim} lands at k. */
  private void select(int lo, int hi, int k, int dim) {
    while (hi > lo) {
      double pivot = points[order[(lo + hi) >>> 1] * d + dim];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (points[order[i] * d + dim] < pivot) {
          i++;
        }
        while (points[order[j] * d + dim] > pivot) {
          j--;
        }
        if (i <= j) {
          int t = order[i];
          order[i++] = order[j];
          order[j--] = t;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  /** Calls {@code found} with every point within {@code radius} of {@code q} (distance ≤ radius), itself included. */
  void withinRadius(double[] q, int offset, double radius, IntConsumer found) {
    within(1, q, offset, radius, radius * radius, found);
  }

  private void within(int node, double[] q, int offset, double radius, double radius2, IntConsumer found) {
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node]; i++) {
        if (squaredDistance(q, offset, order[i]) <= radius2) {
          found.accept(order[i]);
        }
      }
      return;
    }
    double diff = q[offset + splitDim[node]] - splitValue[node];
    if (diff <= radius) {
      within(2 * node, q, offset, radius, radius2, found);
    }
    if (diff >= -radius) {
      within(2 * node + 1, q, offset, radius, radius2, found);
    }
  }

  /** The nearest point to {@code q} and its squared distance; ties go to the lower index. */
  static final class Nearest {
    int index = -1;
    double squaredDistance = Double.POSITIVE_INFINITY;
  }

  /** Finds the nearest point to q, writing it into {@code out}. */
  void nearest(double[] q, int offset, Nearest out) {
    out.index = -1;
    out.squaredDistance = Double.POSITIVE_INFINITY;
    nearest(1, q, offset, out);
  }

  private void nearest(int node, double[] q, int offset, Nearest out) {
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node]; i++) {
        double s = squaredDistance(q, offset, order[i]);
        if (s < out.squaredDistance || (s == out.squaredDistance && order[i] < out.index)) {
          out.squaredDistance = s;
          out.index = order[i];
        }
      }
      return;
    }
    double diff = q[offset + splitDim[node]] - splitValue[node];
    int near = diff <= 0 ? 2 * node : 2 * node + 1;
    nearest(near, q, offset, out);
    if (diff * diff <= out.squaredDistance) {
      nearest(near ^ 1, q, offset, out);
    }
  }

  /**
   * The distance from point {@code i} of the tree to its k-th nearest point of the tree, counting itself as
   * the first: a point is a core point at radius eps exactly when this distance, with k the minimum points,
   * is at most eps.
   */
  double kthNearestDistance(int i, int k) {
    double[] q = Arrays.copyOfRange(points, i * d, (i + 1) * d);
    double[] heap = new double[k]; // a max-heap of the k smallest squared distances seen
    Arrays.fill(heap, Double.POSITIVE_INFINITY);
    kth(1, q, heap);
    return Math.sqrt(heap[0]);
  }

  private void kth(int node, double[] q, double[] heap) {
    if (splitDim[node] < 0) {
      for (int i = from[node]; i < to[node]; i++) {
        double s = squaredDistance(q, 0, order[i]);
        if (s < heap[0]) {
          replaceTop(heap, s);
        }
      }
      return;
    }
    double diff = q[splitDim[node]] - splitValue[node];
    int near = diff <= 0 ? 2 * node : 2 * node + 1;
    kth(near, q, heap);
    if (diff * diff <= heap[0]) {
      kth(near ^ 1, q, heap);
    }
  }

  private static void replaceTop(double[] heap, double value) {
    int at = 0;
    while (true) {
      int child = 2 * at + 1;
      if (child >= heap.length) {
        break;
      }
      if (child + 1 < heap.length && heap[child + 1] > heap[child]) {
        child++;
      }
      if (heap[child] <= value) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = value;
  }

  private double squaredDistance(double[] q, int offset, int point) {
    double s = 0;
    int base = point * d;
    for (int j = 0; j < d; j++) {
      double diff = q[offset + j] - points[base + j];
      s += diff * diff;
    }
    return s;
  }
}

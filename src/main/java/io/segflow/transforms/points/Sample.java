package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Comparators;

/**
 * The points with the {@code capacity} smallest seeded hashes: a uniform random sample that is the same
 * set whatever the order of additions and merges (ties broken by key, then values), so it is a
 * deterministic, mergeable summary of the data.
 */
final class Sample implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One sampled point: transformed feature values (NaN where missing), weight, key and hash. */
  record Point(long hash, String key, double[] values, double weight) implements Serializable {}

  static final Comparator<Point> ORDER = Comparator.comparingLong(Point::hash)
      .thenComparing(Point::key)
      .thenComparing(Point::values, Arrays::compare)
      .thenComparingDouble(Point::weight);

  private final int capacity;
  private ArrayList<Point> points = new ArrayList<>();
  /** Hash of the largest point kept once the sample is full: anything above it cannot get in. */
  private long ceiling = Long.MAX_VALUE;
  private boolean full;

  Sample(int capacity) {
    this.capacity = capacity;
  }

  /** Cheap pre-check for the hot loop: a point whose hash is above the ceiling is never kept. */
  boolean mayAccept(long hash) {
    return !full || hash <= ceiling;
  }

  void add(Point p) {
    if (!mayAccept(p.hash())) {
      return;
    }
    points.add(p);
    if (points.size() >= 2 * capacity) {
      compact();
    }
  }

  void addAll(Sample other) {
    for (Point p : other.points) {
      add(p);
    }
  }

  private void compact() {
    points.sort(ORDER);
    if (points.size() > capacity) {
      points = new ArrayList<>(points.subList(0, capacity));
    }
    if (points.size() == capacity) {
      full = true;
      ceiling = points.get(capacity - 1).hash();
    }
  }

  /**
   * The sample, in hash order: any prefix is itself a seeded uniform sample. A read: the sample itself is
   * left as it is, since it may be an input other stages still hold.
   */
  List<Point> points() {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort(ORDER);
    return List.copyOf(sorted.subList(0, Math.min(capacity, sorted.size())));
  }

  /** Equal when they hold the same points (a sample is a set, whatever the order it was built in). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Sample other) || capacity != other.capacity) {
      return false;
    }
    // Element by element: points are records holding arrays, which compare by identity.
    return Comparators.lexicographical(ORDER).compare(points(), other.points()) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * capacity + points().stream().mapToInt(p -> Long.hashCode(p.hash())).sum();
  }
}

package io.segflow.transforms.points;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleTest {
  @Test
  void theSampleIsTheSameSetWhateverTheOrderAndMerges() {
    List<Sample.Point> points = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String key = "c" + i;
      points.add(new Sample.Point(Hashing.hash(42, key), key, new double[] {i, -i}, 1.0));
    }
    List<Sample.Point> reference = collect(points, 5000);
    Random random = new Random(3);
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(points, random);
      List<Sample.Point> other = collect(points, 1 + random.nextInt(400));
      assertEquals(keys(reference), keys(other));
    }
    assertEquals(300, reference.size());
  }

  @Test
  void theSeedChangesTheSample() {
    Sample a = new Sample(10);
    Sample b = new Sample(10);
    for (int i = 0; i < 1000; i++) {
      a.add(new Sample.Point(Hashing.hash(1, "k" + i), "k" + i, new double[] {i}, 1));
      b.add(new Sample.Point(Hashing.hash(2, "k" + i), "k" + i, new double[] {i}, 1));
    }
    org.junit.jupiter.api.Assertions.assertNotEquals(keys(a.points()), keys(b.points()));
  }

  private static List<Sample.Point> collect(List<Sample.Point> points, int chunk) {
    Sample total = new Sample(300);
    for (int start = 0; start < points.size(); start += chunk) {
      Sample part = new Sample(300);
      points.subList(start, Math.min(points.size(), start + chunk)).forEach(part::add);
      total.addAll(part);
    }
    return total.points();
  }

  private static List<String> keys(List<Sample.Point> points) {
    return points.stream().map(Sample.Point::key).toList();
  }
}

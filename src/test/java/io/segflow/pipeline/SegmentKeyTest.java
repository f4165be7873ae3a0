package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SegmentKeyTest {
  @Test
  void aMetricNameReadsBackAsTheSegmentItNames() {
    for (SegmentKey key : new SegmentKey[] {new SegmentKey(3, "recent, frequent"), new SegmentKey(-1, "noise"),
        new SegmentKey(12, "it's 'quoted'\nover two lines"), new SegmentKey(0, "")}) {
      assertEquals(key, SegmentKey.ofMetricName(key.metricName()));
    }
  }

  @Test
  void anotherMetricsNameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SegmentKey.ofMetricName("members"));
  }

  @Test
  void segmentsSortByTheirNumber() {
    assertEquals(-1, SegmentKey.BY_ID.compare(new SegmentKey(2, "z"), new SegmentKey(10, "a")));
  }
}

package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.dataflow.model.JobMetrics;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A finished Dataflow job's counts as {@code segflow publish} reads them: the service's jobs.getMetrics answer
 * (parsed by the Dataflow client's own JSON model) becomes the same {@link RunReport} the other runners give.
 */
class DataflowJobMetricsTest {
  /** The shape jobs.getMetrics returns: each user metric once tentative (attempted) and once committed, per step. */
  private static final String JOB_METRICS = """
      {"metricTime": "2026-12-07T05:41:02Z", "metrics": [
        {"name": {"origin": "user", "name": "read", "context": {"step": "s2", "namespace": "segflow.source.orders", "tentative": "true"}}, "scalar": 120},
        {"name": {"origin": "user", "name": "read", "context": {"step": "s2", "namespace": "segflow.source.orders"}}, "scalar": 119},
        {"name": {"origin": "user", "name": "rows", "context": {"step": "s2", "namespace": "segflow.source.orders", "tentative": "true"}}, "scalar": 118},
        {"name": {"origin": "user", "name": "rejected", "context": {"step": "s2", "namespace": "segflow.source.orders", "tentative": "true"}}, "scalar": 2},
        {"name": {"origin": "user", "name": "entities_featured", "context": {"step": "s9", "namespace": "segflow", "tentative": "true"}}, "scalar": 20},
        {"name": {"origin": "user", "name": "members", "context": {"step": "s14", "namespace": "segflow", "tentative": "true"}}, "scalar": 12},
        {"name": {"origin": "user", "name": "members", "context": {"step": "s15", "namespace": "segflow", "tentative": "true"}}, "scalar": 7},
        {"name": {"origin": "user", "name": "entities_rejected", "context": {"step": "s9", "namespace": "segflow", "tentative": "true"}}, "scalar": 1},
        {"name": {"origin": "user", "name": "orders: amount is not a number", "context": {"step": "s2", "namespace": "segflow.rejects", "tentative": "true"}}, "scalar": 2},
        {"name": {"origin": "user", "name": "segment 0 'big spenders'", "context": {"step": "s16", "namespace": "segflow.segment.size", "tentative": "true"}},
         "distribution": {"count": 12, "sum": 12, "min": 1, "max": 1}},
        {"name": {"origin": "user", "name": "segment 1 'the rest'", "context": {"step": "s16", "namespace": "segflow.segment.size", "tentative": "true"}},
         "distribution": {"count": 7, "sum": 7, "min": 1, "max": 1}},
        {"name": {"origin": "dataflow/v1b3", "name": "ElementCount", "context": {"original_name": "s2.out0-ElementCount"}}, "scalar": 120}
      ]}""";

  @Test
  void theServicesMetricUpdatesMakeTheRunsReport() throws Exception {
    JobMetrics metrics = GsonFactory.getDefaultInstance().fromString(JOB_METRICS, JobMetrics.class);
    RunReport report = RunReport.of(finished(DataflowJobMetrics.of(metrics.getMetrics())));

    assertEquals(Map.of("orders", Map.of("read", 120L, "rows", 118L, "rejected", 2L)), report.sources(),
        "the attempted values, not the committed ones beside them");
    assertEquals(20, report.entitiesFeatured());
    assertEquals(19, report.members(), "summed over the steps that count members");
    assertEquals(1, report.entitiesRejected());
    assertEquals(Map.of("orders: amount is not a number", 2L), report.rejectsByReason());
    assertEquals(Map.of(new SegmentKey(0, "big spenders"), 12L, new SegmentKey(1, "the rest"), 7L),
        report.segmentSizes());
    assertTrue(report.balanced());
  }

  @Test
  void aFilterByNamespaceKeepsOnlyItsMetrics() throws Exception {
    JobMetrics metrics = GsonFactory.getDefaultInstance().fromString(JOB_METRICS, JobMetrics.class);
    var results = DataflowJobMetrics.of(metrics.getMetrics()).queryMetrics(MetricsFilter.builder()
        .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace("segflow")).build());
    assertEquals(4, java.util.stream.StreamSupport.stream(results.getCounters().spliterator(), false).count(),
        "entities_featured, members twice (two steps), entities_rejected");
    assertEquals(0, java.util.stream.StreamSupport.stream(results.getDistributions().spliterator(), false).count());
  }

  @Test
  void aDistributionWithoutItsSumIsAnError() throws Exception {
    JobMetrics metrics = GsonFactory.getDefaultInstance().fromString("""
        {"metrics": [{"name": {"origin": "user", "name": "segment 0 'a'", "context": {"step": "s1",
          "namespace": "segflow.segment.size", "tentative": "true"}}, "distribution": {"count": 3, "min": 1, "max": 1}}]}""",
        JobMetrics.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataflowJobMetrics.of(metrics.getMetrics()));
    assertTrue(e.getMessage().contains("without a sum"), e.getMessage());
  }

  private static PipelineResult finished(MetricResults metrics) {
    return new PipelineResult() {
      @Override
      public State getState() {
        return State.DONE;
      }

      @Override
      public State cancel() {
        return State.DONE;
      }

      @Override
      public State waitUntilFinish(Duration duration) {
        return State.DONE;
      }

      @Override
      public State waitUntilFinish() {
        return State.DONE;
      }

      @Override
      public MetricResults metrics() {
        return metrics;
      }
    };
  }
}

package io.segflow.pipeline;

import io.segflow.transforms.progress.StageProgress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** When each stage of a finished run completed and how many rows it had, from the run's metrics. */
public final class StageTimes {
  private StageTimes() {}

  /** Stage name to {@code {"seconds": s, "rows": n}}, in order of completion. */
  public static Map<String, Map<String, Object>> of(PipelineResult result) {
    Map<String, Long> millis = new LinkedHashMap<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    for (MetricResult<DistributionResult> d
        : result.metrics().queryMetrics(MetricsFilter.builder().build()).getDistributions()) {
      String namespace = d.getName().getNamespace();
      if (namespace.equals(StageProgress.MILLIS)) {
        millis.put(d.getName().getName(), d.getAttempted().getMax());
      } else if (namespace.equals(StageProgress.ROWS)) {
        rows.put(d.getName().getName(), d.getAttempted().getSum());
      }
    }
    List<String> stages = millis.keySet().stream().sorted(Comparator.comparing(millis::get)).toList();
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String stage : stages) {
      out.put(stage, Map.of("seconds", millis.get(stage) / 1000.0, "rows", rows.getOrDefault(stage, 0L)));
    }
    return out;
  }
}

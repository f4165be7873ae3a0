package io.segflow.pipeline;

import io.segflow.transforms.progress.StageProgress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** When each stage of a finished run completed and how many rows it had, from the run's gauges. */
public final class StageTimes {
  private StageTimes() {}

  /** Stage name to {@code {"seconds": s, "rows": n}}, in order of completion. */
  public static Map<String, Map<String, Object>> of(PipelineResult result) {
    Map<String, Long> millis = new LinkedHashMap<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    for (MetricResult<GaugeResult> g : result.metrics().queryMetrics(MetricsFilter.builder().build()).getGauges()) {
      String namespace = g.getName().getNamespace();
      if (namespace.equals(StageProgress.MILLIS)) {
        millis.put(g.getName().getName(), g.getAttempted().getValue());
      } else if (namespace.equals(StageProgress.ROWS)) {
        rows.put(g.getName().getName(), g.getAttempted().getValue());
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

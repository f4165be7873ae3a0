package io.segflow.pipeline;

import com.google.api.services.dataflow.model.MetricUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricFiltering;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A Dataflow job's user counters and distributions, from the metric updates the service returns for it
 * (jobs.getMetrics), keyed by the job's own step names. Beam's DataflowMetrics maps steps back to the
 * transforms of the translation that submitted the job and drops every metric it cannot map, so it reports
 * nothing for a job another process launched (a Flex Template's launcher); segflow's counts are read by
 * namespace and name only, which need no step map. The attempted (tentative) values are kept, as on the
 * other runners.
 */
final class DataflowJobMetrics extends MetricResults {
  private final List<MetricResult<Long>> counters;
  private final List<MetricResult<DistributionResult>> distributions;

  private DataflowJobMetrics(List<MetricResult<Long>> counters, List<MetricResult<DistributionResult>> distributions) {
    this.counters = List.copyOf(counters);
    this.distributions = List.copyOf(distributions);
  }

  static DataflowJobMetrics of(List<MetricUpdate> updates) {
    List<MetricResult<Long>> counters = new ArrayList<>();
    List<MetricResult<DistributionResult>> distributions = new ArrayList<>();
    for (MetricUpdate update : updates == null ? List.<MetricUpdate>of() : updates) {
      Map<String, String> context = update.getName().getContext();
      if (!"user".equals(update.getName().getOrigin()) || context == null || !context.containsKey("namespace")
          || !"true".equals(context.get("tentative"))) {
        continue;
      }
      MetricKey key = MetricKey.create(context.getOrDefault("step", ""),
          MetricName.named(context.get("namespace"), update.getName().getName()));
      if (update.getScalar() instanceof Number value) {
        counters.add(MetricResult.attempted(key, value.longValue()));
      } else if (update.getDistribution() instanceof Map<?, ?> d) {
        distributions.add(MetricResult.attempted(key, DistributionResult.create(number(d, "sum", key),
            number(d, "count", key), number(d, "min", key), number(d, "max", key))));
      }
    }
    return new DataflowJobMetrics(counters, distributions);
  }

  private static long number(Map<?, ?> distribution, String field, MetricKey key) {
    if (!(distribution.get(field) instanceof Number value)) {
      throw new IllegalArgumentException("the Dataflow metric " + key + " is a distribution without a " + field
          + ": " + distribution);
    }
    return value.longValue();
  }

  @Override
  public MetricQueryResults queryMetrics(MetricsFilter filter) {
    MetricsFilter all = filter == null ? MetricsFilter.builder().build() : filter;
    return MetricQueryResults.create(
        counters.stream().filter(c -> MetricFiltering.matches(all, c.getKey())).toList(),
        distributions.stream().filter(d -> MetricFiltering.matches(all, d.getKey())).toList(),
        List.of(), List.of(), List.of(), List.of());
  }
}

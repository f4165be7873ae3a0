package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import java.io.IOException;
import java.util.Map;
import org.apache.beam.runners.dataflow.DataflowClient;
import org.apache.beam.runners.dataflow.DataflowPipelineJob;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/**
 * A Dataflow job started by another process (a Flex Template launch), as the {@link PipelineResult}
 * {@link SegflowRun#finish} reads: its state and waiting from Beam's {@link DataflowPipelineJob}, its metrics
 * from {@link DataflowJobMetrics}.
 */
final class AttachedDataflowJob implements PipelineResult {
  private final DataflowPipelineJob job;
  private final DataflowClient client;
  private final String jobId;

  private AttachedDataflowJob(DataflowPipelineJob job, DataflowClient client, String jobId) {
    this.job = job;
    this.client = client;
    this.jobId = jobId;
  }

  /** The job {@code jobId} in the environment's project and region, with Application Default Credentials. */
  static AttachedDataflowJob of(Environment env, String jobId) {
    DataflowPipelineOptions options = PipelineOptionsFactory.as(DataflowPipelineOptions.class);
    options.setProject(env.gcp().orElseThrow().project());
    options.setRegion(env.dataflow().orElseThrow().region());
    DataflowClient client = DataflowClient.create(options);
    return new AttachedDataflowJob(new DataflowPipelineJob(client, jobId, options, Map.of()), client, jobId);
  }

  @Override
  public State getState() {
    return job.getState();
  }

  @Override
  public State cancel() throws IOException {
    return job.cancel();
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    return job.waitUntilFinish(duration);
  }

  @Override
  public State waitUntilFinish() {
    return job.waitUntilFinish();
  }

  @Override
  public MetricResults metrics() {
    try {
      return DataflowJobMetrics.of(client.getJobMetrics(jobId).getMetrics());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the metrics of Dataflow job " + jobId + ": " + e.getMessage(), e);
    }
  }
}

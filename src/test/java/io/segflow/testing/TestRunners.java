package io.segflow.testing;

import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipeline options of the runners the tests run a transform on, by name. */
public final class TestRunners {
  private TestRunners() {}

  /** {@code direct} or {@code flink}. */
  public static PipelineOptions named(String runner) {
    return switch (runner) {
      case "direct" -> direct();
      case "flink" -> flink();
      default -> throw new IllegalArgumentException("no test runner named " + runner);
    };
  }

  /** The DirectRunner with its checks on (immutability, encodability). */
  public static PipelineOptions direct() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return options;
  }

  /** The embedded Flink cluster with two parallel tasks, so a transform's steps are really split. */
  public static PipelineOptions flink() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    return options;
  }
}

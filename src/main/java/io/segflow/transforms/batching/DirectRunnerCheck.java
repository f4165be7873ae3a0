package io.segflow.transforms.batching;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Whether a pipeline runs on Beam's DirectRunner, for the few steps shaped per runner (see the callers for
 * why), without the transforms depending on the runner's artifact.
 */
public final class DirectRunnerCheck {
  private DirectRunnerCheck() {}

  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner() != null && options.getRunner().getSimpleName().equals("DirectRunner");
  }
}

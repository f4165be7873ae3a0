package io.segflow.pipeline;

import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Starts, on a daemon thread, the one-off work the first pipeline of a process waits for, so that it runs
 * while the command line reads and checks the definition. Beam's {@link PipelineOptionsFactory} checks every
 * options interface on the class path (Direct, Flink, Dataflow, GCP, SQL...) when its class is first
 * initialised, which took about a second of a 6-second run of the three-source example; the JVM runs a
 * class's initialiser once, and a thread that needs it meanwhile waits for it, so nothing runs twice.
 */
public final class BeamWarmUp {

  private BeamWarmUp() {}

  /** Starts the warm-up and returns at once; a process may exit before it ends. */
  public static void startInBackground() {
    Thread thread = new Thread(PipelineOptionsFactory::create, "segflow-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}

package io.segflow.cli;

/**
 * The entry class of segflow as a Flink application job (pipelines/flink/flink-deployment.yaml): the same
 * command line, run inside the JobManager. It returns instead of exiting the JVM, which is the JobManager's;
 * a failed command is an exception, so Flink marks the application failed.
 */
public final class FlinkApplication {
  private FlinkApplication() {}

  public static void main(String[] args) {
    int code = SegflowCli.execute(args);
    if (code != ExitCodes.OK) {
      throw new IllegalStateException("segflow " + String.join(" ", args) + " exited with " + code
          + " (the JobManager's log has its messages)");
    }
  }
}

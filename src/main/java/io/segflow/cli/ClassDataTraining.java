package io.segflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The workload the build runs once under {@code -XX:ArchiveClassesAtExit} to make the class-data archive
 * that {@code ./segflow} starts with ({@code src/build/class-data.sh}): the commands an analyst runs, on a
 * small slice, on both local runners, so the archive holds the classes of validation, Beam SQL, k-means,
 * rules, both runners, the file outputs and DuckDB. Starting from the archive saves seconds of class
 * loading on every later run. Not a user command.
 */
public final class ClassDataTraining {
  private ClassDataTraining() {}

  /** {@code args}: the training environment, then a k-means and a rules definition valid on its small slice. */
  public static void main(String[] args) {
    String env = args[0];
    String kmeans = args[1];
    String rules = args[2];
    List<List<String>> commands = List.of(
        List.of("validate", "segment-definitions/"),
        List.of("plan", kmeans, "--env", env),
        List.of("run", kmeans, "--env", env, "--runner", "flink", "--run-id", "training"),
        List.of("run", rules, "--env", env, "--runner", "direct", "--run-id", "training",
            "--param", "big_spend=400"));
    for (List<String> command : commands) {
      StringWriter output = new StringWriter();
      PrintWriter both = new PrintWriter(output, true);
      int code = SegflowCli.execute(both, both, command.toArray(String[]::new));
      if (code != 0) {
        System.err.print(output);
        System.err.println("class-data training: segflow " + String.join(" ", command) + " exited " + code);
        System.exit(code);
      }
    }
  }
}

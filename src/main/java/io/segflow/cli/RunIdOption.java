package io.segflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** A run id given on the command line: what the warehouses and Dataflow job names accept. */
final class RunIdOption {
  private RunIdOption() {}

  /** @throws CommandLine.ParameterException (exit 2) for an id the warehouses would refuse */
  static void check(CommandSpec spec, String runId) {
    if (runId != null && !runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--run-id must be 1 to 64 letters, digits, '.', '_' or '-', got '" + runId + "'");
    }
  }
}

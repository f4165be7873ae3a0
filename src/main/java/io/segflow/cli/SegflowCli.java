package io.segflow.cli;

import io.segflow.pipeline.BeamWarmUp;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code segflow} command line. Results go to stdout, logs and progress to stderr. Exit codes: 0 ok,
 * 1 invalid input or failed run, 2 usage error.
 */
@Command(
    name = "segflow",
    mixinStandardHelpOptions = true,
    versionProvider = SegflowCli.Version.class,
    description = "Customer segmentation as code: validate segment definitions and run them as Apache Beam pipelines.",
    subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, StreamCommand.class, ReportCommand.class,
        DeployCommand.class, PublishCommand.class,
        CommandLine.HelpCommand.class})
public final class SegflowCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: segflow validate --help)");
  }

  public static void main(String[] args) {
    BeamWarmUp.startInBackground(); // a process of its own: what its first pipeline needs starts now
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given stdout and stderr, and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    // picocli already exits 2 (ExitCodes.USAGE) on a bad command line.
    CommandLine cli = new CommandLine(new SegflowCli()).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // A failure inside segflow is reported in one line; the stack trace only when asked for.
      commandLine.getErr().println("segflow: internal error: " + e);
      if (System.getenv("SEGFLOW_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("(set SEGFLOW_DEBUG=1 for the stack trace, and please report it)");
      }
      commandLine.getErr().flush();
      return ExitCodes.INVALID_INPUT;
    });
    return cli.execute(args);
  }

  /** The version from the jar's build, for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Map<String, String> v = io.segflow.pipeline.Versions.of();
      return new String[] {"segflow " + v.get("segflow") + " (Apache Beam " + v.get("beam") + ", Java " + v.get("java")
          + ")"};
    }
  }
}

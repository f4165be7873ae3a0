package io.segflow.cli;

import io.segflow.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow report RUN_DIR}: the run's report as one HTML file that opens offline. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Write RUN_DIR/report.html: segment sizes, profiles, explanations, the k sweep, a 2-D projection, "
        + "transitions, drift, accounting and provenance of a run, in one self-contained file.")
public final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR",
      description = "A run's folder: <output>/<definition>/<run id>/, as segflow run prints it.")
  Path runDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it. Default: RUN_DIR/report.html.")
  Path output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(runDir)) {
      err.println("segflow report: " + runDir + " is not a folder (a run's folder is <output>/<definition>/<run id>/)");
      return ExitCodes.INVALID_INPUT;
    }
    return write(runDir, output == null ? runDir.resolve(Report.FILE) : output, out, err);
  }

  /** Writes one report and says where; shared with {@code run --report}. */
  static int write(Path runDir, Path target, PrintWriter out, PrintWriter err) {
    try {
      long bytes = Report.write(runDir, target);
      out.printf(Locale.ROOT, "report: %s (%,d KB)%n", target, (bytes + 1023) / 1024);
      return ExitCodes.OK;
    } catch (IOException | RuntimeException e) {
      err.println("segflow report: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
  }
}

package io.segflow.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code segflow report}: writes {@code report.html} into a run's folder, explaining the run for the analyst
 * and the marketer (see {@link ReportSections} for what it shows).
 */
public final class Report {
  public static final String FILE = "report.html";

  private Report() {}

  /** Writes the report of the run in {@code runFolder} into {@code target}; returns its size in bytes. */
  public static long write(Path runFolder, Path target) throws IOException {
    RunFolder run = RunFolder.read(runFolder);
    ReportSections sections = new ReportSections(run);
    String html = ReportPage.render(sections.title(), sections.subtitle(), sections.all());
    Path temp = target.resolveSibling("." + target.getFileName() + ".partial");
    Files.writeString(temp, html, StandardCharsets.UTF_8);
    // Whole or not at all: a browser never opens half a report.
    Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return Files.size(target);
  }
}

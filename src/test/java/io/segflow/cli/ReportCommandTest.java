package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segflow run --report} on the shipped examples with their bundled data, each report opened in
 * headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it): no error on the page, every
 * chart drew marks, and the sections each method has are there. Screenshots go to
 * {@code target/report-screenshots/} for a person to look at.
 */
class ReportCommandTest {
  private static final Path SCREENSHOTS = Path.of("target/report-screenshots");
  private static final Pattern BODY = Pattern.compile("<body([^>]*)>");

  @TempDir static Path out;
  private static Path env;

  @BeforeAll
  static void environment() throws IOException {
    // The local environment, writing into a folder of this test's own.
    Path examples = Path.of("segment-definitions").toAbsolutePath();
    String local = Files.readString(Path.of("pipelines/environments/local.yaml"))
        .replace("../../segment-definitions", examples.toString())
        .replace("path: ../../target/segflow\n", "path: " + out.resolve("runs") + "\n")
        .replace("warehouse: ../../target/segflow/warehouse.duckdb", "warehouse: " + out.resolve("w.duckdb"));
    env = Files.writeString(out.resolve("env.yaml"), local);
  }

  @Test
  void kmeansRefreshedReportShowsTransitionsDriftAndExplanations() throws Exception {
    run("online_retail_rfm_kmeans", "r1");
    Path folder = run("online_retail_rfm_kmeans", "r2");
    String html = Files.readString(folder.resolve("report.html"));
    assertSelfContained(html);
    assertTrue(html.contains("Transitions since run r1"), "a refresh shows its transitions");
    assertTrue(html.contains("Drift since run r1"));
    assertTrue(html.contains("The segments in two dimensions"));
    // Each segment explained: conditions on the features, and how much of it they describe.
    Matcher explained = Pattern.compile("<td>(recency_days|frequency|monetary)[^<]*</td><td class=\"n\">(&lt;|&gt;)?\\d+%</td>").matcher(html);
    int rules = 0;
    while (explained.find()) {
      rules++;
    }
    assertEquals(5, rules, "one rule per segment of the five");
    Browser.open(folder.resolve("report.html"), "kmeans").assertDrewEveryChart(8);
  }

  @Test
  void everyOtherMethodsReportDrawsItsOwnSection() throws Exception {
    for (String[] example : List.of(
        new String[] {"online_retail_rfm_tree", "The tree of segments"},
        new String[] {"online_retail_rfm_density", "DBSCAN: noise"},
        new String[] {"online_retail_rfm_scores", "RFM: the score grid"},
        new String[] {"online_retail_rfm_rules", "Rules: coverage"},
        new String[] {"cdnow_rfm_kmeans", "Choosing k"})) {
      Path folder = run(example[0], "r1");
      String html = Files.readString(folder.resolve("report.html"));
      assertSelfContained(html);
      assertTrue(html.contains("<h2>" + example[1]), example[0] + " has its section " + example[1]);
      Browser.open(folder.resolve("report.html"), example[0]).assertDrewEveryChart(5);
    }
  }

  @Test
  void aFolderThatIsNoRunIsRefusedWithWhy() {
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "report",
        out.toString());
    assertEquals(ExitCodes.INVALID_INPUT, exit);
    assertTrue(err.toString().contains(out + " is not a run's folder: it has no run.json"), err.toString());
    err = new StringWriter();
    exit = SegflowCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "report",
        out.resolve("nowhere").toString());
    assertEquals(ExitCodes.INVALID_INPUT, exit);
    assertTrue(err.toString().contains("nowhere is not a folder"), err.toString());
  }

  /** Runs a shipped example with --report; returns its published folder. */
  private Path run(String definition, String runId) throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), "run",
        "segment-definitions/" + definition + ".yaml", "--env", env.toString(), "--run-id", runId, "--report");
    assertEquals(0, exit, stdout + "\n" + stderr);
    Path folder = out.resolve("runs").resolve(definition).resolve(runId);
    assertTrue(stdout.toString().contains("report: " + folder.resolve("report.html")), stdout.toString());
    long size = Files.size(folder.resolve("report.html"));
    assertTrue(size < 2_000_000, definition + "'s report is " + size + " bytes");
    return folder;
  }

  /** Nothing loaded from elsewhere: no script, style, image or frame by address. */
  private static void assertSelfContained(String html) {
    // The inlined scripts are code, whose strings may spell tags; the page's own elements are what load.
    String elements = html.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>");
    Matcher external = Pattern.compile("<(script|link|img|iframe)\\b[^>]*\\b(src|href)\\s*=", Pattern.CASE_INSENSITIVE)
        .matcher(elements);
    assertFalse(external.find(), () -> "refers to something outside itself: " + external.group());
  }

  /** Debian's Chromium, headless: the page after its scripts ran, and a screenshot. */
  private record Browser(String body, Path page) {
    static Browser open(Path page, String name) throws IOException, InterruptedException {
      Optional<String> binary = List.of("chromium", "chromium-browser", "google-chrome").stream()
          .filter(b -> onPath(b)).findFirst();
      Assumptions.assumeTrue(binary.isPresent(),
          "no Chromium on this machine (apt-get install chromium; .ci/run installs it): the report is not opened");
      String dom = chromium(binary.get(), "--dump-dom", page.toUri().toString());
      Matcher body = BODY.matcher(dom);
      assertTrue(body.find(), "no body in what Chromium rendered: " + dom.substring(0, Math.min(dom.length(), 500)));
      Files.createDirectories(SCREENSHOTS);
      chromium(binary.get(), "--window-size=1280,2400", "--screenshot=" + SCREENSHOTS.toAbsolutePath().resolve(name
          + ".png"), page.toUri().toString());
      return new Browser(body.group(1), page);
    }

    void assertDrewEveryChart(int atLeast) {
      assertFalse(body.contains("data-errors"), () -> page + " had errors: " + body);
      Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(body);
      Matcher drawn = Pattern.compile("data-drawn=\"(\\d+)\"").matcher(body);
      assertTrue(charts.find() && drawn.find(), "the page's script did not run: " + body);
      assertEquals(charts.group(1), drawn.group(1), page + ": every chart drew marks");
      assertTrue(Integer.parseInt(drawn.group(1)) >= atLeast, page + " drew " + drawn.group(1) + " charts");
    }

    private static String chromium(String binary, String... args) throws IOException, InterruptedException {
      List<String> command = new java.util.ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
          "--hide-scrollbars", "--virtual-time-budget=10000"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] stdout = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish");
      assertEquals(0, p.exitValue(), "Chromium failed: " + command);
      return new String(stdout, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String binary) {
      return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
          .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
  }
}

package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.cli.SegflowCli;
import io.segflow.transforms.io.CsvRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad data corpus ({@code resources/bad-data}, listed with what each must do in its EXPECTED.tsv): each
 * file is read by a whole run of a rules definition, as a user's would be. A bad record becomes a reject
 * at its line with its reason; a bad file fails the run, naming it, before anything is published.
 */
class BadDataTest {
  private static final Path CORPUS = Path.of("src/test/resources/bad-data").toAbsolutePath();
  private static final Path DEFINITION = Path.of("src/test/resources/pipeline/rules.yaml").toAbsolutePath();

  @TempDir Path dir;

  record Expected(String file, String outcome, String line, String text) {}

  @TestFactory
  Stream<DynamicTest> everyBadFileDoesWhatItsLineSays() throws IOException {
    List<Expected> expected = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("EXPECTED.tsv"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split("\t", -1);
        expected.add(new Expected(f[0], f[1], f[2], f[3]));
      }
    }
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<String> listed = expected.stream().map(Expected::file).sorted().toList();
      List<String> present = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("EXPECTED.tsv"))
          .sorted().toList();
      assertEquals(present, listed, "every file of the corpus is listed in EXPECTED.tsv, and only those");
    }
    return expected.stream().map(e -> DynamicTest.dynamicTest(e.file(), () -> check(e)));
  }

  private void check(Expected e) throws Exception {
    Path folder = dir.resolve(e.file());
    Files.createDirectories(folder);
    boolean json = e.file().endsWith(".jsonl");
    Path env = folder.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: bad-data\nrunner: direct\nsources:\n  orders: {kind: file, "
        + "format: " + (json ? "jsonl" : "csv") + ", path: " + CORPUS.resolve(e.file())
        + (json ? "" : ", timestamp_format: 'yyyy-MM-dd HH:mm:ss'") + "}\noutput: {kind: files, path: out}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out), new PrintWriter(err), "run", DEFINITION.toString(),
        "--env", env.toString(), "--run-id", "r1");
    String said = out + "\n" + err;
    assertFalse(said.contains("internal error") || said.contains("\tat "), "no internal error, no stack trace: " + said);
    Path warehouse = folder.resolve("out/warehouse.duckdb");
    switch (e.outcome()) {
      case "error" -> {
        assertEquals(1, exit, said);
        assertTrue(err.toString().contains(e.text()), "says '" + e.text() + "': " + err);
        assertTrue(DuckDbWarehouse.published(warehouse, "pipeline_rules", PublishedRun.Wanted.latestBefore("r2"))
            .isEmpty(), "nothing was published");
      }
      case "ok" -> {
        assertEquals(0, exit, said);
        assertTrue(out.toString().contains(e.text()), "accounts '" + e.text() + "': " + out);
      }
      case "reject" -> {
        assertEquals(0, exit, said);
        List<List<String>> rejects = rejects(folder.resolve("out/pipeline_rules/r1/rejects.csv"));
        assertEquals(1, rejects.size(), "one reject: " + rejects);
        List<String> reject = rejects.get(0);
        // stage, source, file, line, entity, record, reason
        if (e.line().equals("-")) {
          assertEquals("features", reject.get(0), reject.toString());
        } else {
          assertEquals(List.of("read", "orders", CORPUS.resolve(e.file()).toString(), e.line()), reject.subList(0, 4));
        }
        assertTrue(reject.get(6).contains(e.text()), "reason says '" + e.text() + "': " + reject.get(6));
      }
      default -> throw new IllegalArgumentException("outcome " + e.outcome() + " of " + e.file());
    }
  }

  @org.junit.jupiter.api.Test
  void twoRowsForOneEntityFailTheRunNamingItUnlessTheSqlGroupsByIt() throws Exception {
    twoRowsForOneEntity(dir, "--runner", "direct");
  }

  /** The same check on Flink, where it counts per key rather than through shards. */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Tag("flink")
  void twoRowsForOneEntityFailTheRunOnFlinkToo() throws Exception {
    twoRowsForOneEntity(dir, "--runner", "flink");
  }

  /** Runs the duplicate-entity fixture with {@code runnerArgs} ({@code --runner ...}); FlinkClusterTest runs it too. */
  static void twoRowsForOneEntity(Path dir, String... runnerArgs) throws Exception {
    Path data = dir.resolve("orders.csv");
    Files.writeString(data, "customer_id,amount,ordered_at\na,10,2024-01-10 10:00:00\nb,5,2024-01-11 10:00:00\n"
        + "a,7,2024-01-12 10:00:00\n");
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: bad-data\nrunner: direct\nsources:\n  orders: {kind: file, "
        + "format: csv, path: " + data + ", timestamp_format: 'yyyy-MM-dd HH:mm:ss'}\noutput: {kind: files, path: out}\n");
    String plain = Files.readString(DEFINITION).replaceAll("(?s)  sql: \\|.*?GROUP BY customer_id\n",
        "  sql: SELECT customer_id, 1 AS orders, amount AS spend FROM orders\n");
    Path definition = dir.resolve("plain.yaml");
    Files.writeString(definition, plain);
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        withRunner(runnerArgs, "run", definition.toString(), "--env", env.toString(), "--run-id", "r1"));
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().contains("customer_id 'a' is on 2 rows of the features query's output; each customer_id "
        + "must be on one row"), err.toString());
    // The same rows through the GROUP BY of the original definition: one row per entity, proven by the plan.
    assertEquals(0, SegflowCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        withRunner(runnerArgs, "run", DEFINITION.toString(), "--env", env.toString(), "--run-id", "r2")));
  }

  private static String[] withRunner(String[] runnerArgs, String... args) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(args), java.util.stream.Stream.of(runnerArgs))
        .toArray(String[]::new);
  }

  /**
   * What a user's terminal shows, logging included (a process of its own): a bad file on Flink fails the run
   * in one line that names it, without the runner's and the task's stack traces of the same failure.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Tag("flink")
  void aBadFileOnFlinkSaysWhyInOneLineWithoutAStackTrace() throws Exception {
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: bad-data\nrunner: flink\nsources:\n  orders: {kind: file, "
        + "format: jsonl, path: " + CORPUS.resolve("key-absent-from-file.jsonl") + "}\noutput: {kind: files, path: out}\n");
    Process segflow = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SegflowCli.class.getName(), "run", DEFINITION.toString(),
        "--env", env.toString()).redirectErrorStream(true).start();
    String terminal = new String(segflow.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, segflow.waitFor(), terminal);
    assertTrue(terminal.contains("segflow run: the pipeline failed: source orders: "
        + CORPUS.resolve("key-absent-from-file.jsonl") + ": none of its 2 records has key 'amount'"), terminal);
    assertFalse(terminal.contains("\tat ") || terminal.contains("Exception"), terminal);
  }

  private static List<List<String>> rejects(Path csv) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (var in = Files.newBufferedReader(csv)) {
      CsvRecords records = new CsvRecords(in, ',');
      records.next();
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        rows.add(r.fields());
      }
    }
    return rows;
  }
}

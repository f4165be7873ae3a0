package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.cli.SegflowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consent from a source: only entities whose every row says true are segmented; the rest leave no trace. */
class ConsentTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();

  @Test
  void onlyConsentingEntitiesAreSegmentedAndTheOthersAreCountedNotWritten(@TempDir Path dir) throws Exception {
    consent(dir, "--runner", "direct");
  }

  /** The same on the embedded Flink cluster, where the consent's grouping is per key. */
  @Test
  @org.junit.jupiter.api.Tag("flink")
  void consentFiltersTheSameOnFlink(@TempDir Path dir) throws Exception {
    consent(dir, "--runner", "flink");
  }

  /** Runs the consent fixture with {@code runnerArgs} ({@code --runner ...}); FlinkClusterTest runs it too. */
  static void consent(Path dir, String... runnerArgs) throws Exception {
    // b00 and s00 consent; b01 says false; b02 says nothing (NULL); s01 said true once and false once; the
    // other customers of the orders have no row in the CRM.
    Files.writeString(dir.resolve("crm.csv"), "customer_id,marketing_opt_in\nb00,true\nb01,false\nb02,\n"
        + "s00,true\ns01,true\ns01,false\n");
    // Bad rows: b00's (consents) keeps its record in the rejects; b01's (said false) and zz9's (not in the
    // CRM) keep where they were and why, but no value.
    Path orders = Files.writeString(dir.resolve("orders.csv"), Files.readString(FIXTURES.resolve("orders.csv"))
        + "b00,1.5x,2024-02-01 10:00:00\nb01,2.5x,2024-02-01 10:00:00\nzz9,3.5x,2024-02-01 10:00:00\n");
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: consent\nrunner: direct\nsources:\n"
        + "  orders: {kind: file, format: csv, path: " + orders
        + ", timestamp_format: 'yyyy-MM-dd HH:mm:ss'}\n  crm: {kind: file, format: csv, path: crm.csv}\n"
        + "output: {kind: files, path: out}\n");
    Path definition = dir.resolve("consent.yaml");
    Files.writeString(definition, Files.readString(FIXTURES.resolve("rules.yaml"))
        .replace("features:\n", "  crm:\n    columns: {customer_id: STRING, marketing_opt_in: BOOL}\nfeatures:\n")
        + "consent: {source: crm, column: marketing_opt_in}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = Stream.concat(Stream.of("run", definition.toString(), "--env", env.toString(),
        "--run-id", "c1"), Stream.of(runnerArgs)).toArray(String[]::new);
    assertEquals(0, SegflowCli.execute(new PrintWriter(out), new PrintWriter(err), args), err.toString());

    Path run = dir.resolve("out/pipeline_rules/c1");
    List<String> members = Files.readAllLines(run.resolve("members.csv")).stream().skip(1)
        .map(line -> line.substring(0, line.indexOf(','))).sorted().toList();
    assertEquals(List.of("b00", "s00"), members);
    var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("run.json").toFile());
    long featured = report.get("entities_featured").asLong();
    assertEquals(featured - 2, report.get("entities_without_consent").asLong(), "everyone else is counted");
    assertTrue(report.get("balanced").asBoolean());
    assertTrue(out.toString().contains("without consent (left out)"), out.toString());
    for (String file : List.of("members.csv", "segments.csv")) {
      String text = Files.readString(run.resolve(file));
      for (String absent : List.of("b01", "b02", "s01", "s02")) {
        assertFalse(text.contains(absent), file + " holds nothing of " + absent);
      }
    }
    String rejects = Files.readString(run.resolve("rejects.csv"));
    assertTrue(rejects.contains("customer_id=b00, amount=1.5x"), rejects);
    for (String absent : List.of("b01", "2.5x", "zz9", "3.5x")) {
      assertFalse(rejects.contains(absent), "the rejects hold nothing of a customer without consent: " + rejects);
    }
    long read = rejects.lines().filter(line -> line.startsWith("read,orders,")).count();
    assertEquals(6, read, "each bad row is there, the fixture's three and these three: " + rejects);
    assertEquals(read - 1, rejects.lines().filter(line -> line.contains("its record is withheld")
        && line.contains(",,,\"")).count(), "only b00's keeps its values: " + rejects);
    assertEquals(2, Files.readAllLines(run.resolve("segments.csv")).stream().skip(1)
        .mapToLong(line -> Long.parseLong(line.split(",")[2])).sum(), "the profiles count the consenting only");
  }
}

package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.cli.SegflowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source with a {@code pii: true} column, run end to end: the e-mail keys the customers only as its
 * SHA-256, and no output or reject of the run holds an address or the undeclared phone numbers.
 */
class PersonalDataRunTest {
  @Test
  void personalDataReachesNoOutputAndNoReject(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("orders.csv"), String.join("\n",
        "email,phone,amount",
        "ann@example.org,+44 1632 960001,10.5",
        "ann@example.org,+44 1632 960001,20",
        "bob@example.org,+44 1632 960002,3",
        "cat@example.org,+44 1632 960003,not-a-number",
        "dan@example.org,+44 1632 960004"), StandardCharsets.UTF_8);
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: pii\nrunner: direct\nsources:\n"
        + "  orders: {kind: file, format: csv, path: orders.csv}\noutput: {kind: files, path: out}\n");
    Path definition = dir.resolve("pii.yaml");
    Files.writeString(definition, """
        apiVersion: segflow/v1
        name: pii_rules
        description: Customers keyed by a hash of their e-mail.
        entity: customer_key
        sources:
          orders:
            columns:
              email: {type: STRING, pii: true}
              amount: FLOAT64
        features:
          sql: |
            SELECT TO_HEX(SHA256(email)) AS customer_key, COUNT(*) AS orders, SUM(amount) AS spend
            FROM orders
            GROUP BY TO_HEX(SHA256(email))
        segmentation:
          method: rules
          rules:
            - {segment: repeat, when: orders >= 2}
          default: one_off
        output:
          min_segment_size: 1
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, SegflowCli.execute(new PrintWriter(out), new PrintWriter(err), "run", definition.toString(),
        "--env", env.toString(), "--run-id", "p1"), out + "\n" + err);

    Path run = dir.resolve("out/pii_rules/p1");
    List<String> members = Files.readAllLines(run.resolve("members.csv")).stream().skip(1)
        .map(line -> line.substring(0, line.indexOf(','))).sorted().toList();
    assertEquals(List.of(sha256("ann@example.org"), sha256("bob@example.org")).stream().sorted().toList(), members);
    List<String> rejects = Files.readAllLines(run.resolve("rejects.csv"));
    assertEquals(3, rejects.size(), "the header and two rejects: " + rejects);
    assertTrue(rejects.stream().anyMatch(r -> r.contains("amount=not-a-number")), "the declared non-pii field stays");
    try (var files = Files.walk(dir.resolve("out"))) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".duckdb")).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("@example.org"), file + " holds an e-mail address");
        assertFalse(text.contains("1632 96"), file + " holds a phone number");
      }
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}

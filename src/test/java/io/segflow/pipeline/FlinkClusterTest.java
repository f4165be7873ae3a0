package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.dsl.env.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A definition on a real Flink session cluster (pipelines/flink/cluster.sh: a JobManager and a TaskManager,
 * each its own JVM), submitted over REST with segflow's classes staged, gives the same members as on the
 * DirectRunner, to the bit.
 */
@Tag("flink")
class FlinkClusterTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();
  @RegisterExtension
  static final SessionCluster CLUSTER = new SessionCluster("18081", "16123", "target/flink-test");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theSameMembersOnTheSessionClusterAsOnDirect(@TempDir Path out) throws IOException {
    Map<String, String[]> direct = run(RunOptions.direct(), out.resolve("direct"));
    Map<String, String[]> cluster = run(RunOptions.flink(CLUSTER.master()), out.resolve("cluster"));
    assertEquals(20, direct.size(), "every customer of the fixture with a valid order is a member");
    assertEquals(direct.keySet(), cluster.keySet());
    direct.forEach((customer, d) -> {
      String[] c = cluster.get(customer);
      // Segment, label, distance and margin to the bit: the features' SUMs are exact (ExactDoubleSumFn).
      assertEquals(String.join(",", List.of(d).subList(1, 5)), String.join(",", List.of(c).subList(1, 5)),
          "member " + customer);
    });
  }

  /** Consent decides members, profiles and rejects on the cluster as on Direct and embedded Flink. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void consentOnTheSessionCluster(@TempDir Path dir) throws Exception {
    ConsentTest.consent(dir, "--runner", "flink", "--flink-master", CLUSTER.master());
  }

  /** Two feature rows for one customer fail the run, naming it, on the cluster too. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void twoRowsForOneEntityFailTheRunOnTheSessionCluster(@TempDir Path dir) throws Exception {
    BadDataTest.twoRowsForOneEntity(dir, "--runner", "flink", "--flink-master", CLUSTER.master());
  }

  /** segflow deploy --target flink submits the definition to the cluster, which runs and publishes it. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void deployWithTargetFlinkRunsTheDefinitionOnTheSessionCluster(@TempDir Path dir) throws IOException {
    Path env = Files.writeString(dir.resolve("env.yaml"), "apiVersion: segflow/v1\nname: deploy\nrunner: direct\n"
        + "sources:\n  orders: {kind: file, format: csv, path: " + FIXTURES.resolve("orders.csv")
        + ", timestamp_format: 'yyyy-MM-dd HH:mm:ss'}\noutput: {kind: files, path: out}\n");
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = io.segflow.cli.SegflowCli.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "deploy", FIXTURES.resolve("kmeans.yaml").toString(), "--env", env.toString(), "--target", "flink",
        "--flink-master", CLUSTER.master());
    assertEquals(0, exit, err.toString());
    org.junit.jupiter.api.Assertions.assertTrue(err.toString().contains("running it on the flink runner"), err.toString());
    Path members;
    try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("out"))) {
      members = files.filter(f -> f.getFileName().toString().equals("members.csv")).findFirst().orElseThrow();
    }
    assertEquals(21, Files.readAllLines(members).size(), "a header and the fixture's 20 members");
  }

  private static Map<String, String[]> run(PipelineOptions options, Path out) throws IOException {
    Environment env = Fixtures.environment(FIXTURES.resolve("env.yaml"));
    Pipeline p = Pipeline.create(options);
    SegflowPipeline.build(p, CompiledDefinition.of(Fixtures.definition(FIXTURES.resolve("kmeans.yaml"), env)), env,
        new RunContext("cluster-test", Instant.EPOCH, out));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    // customer -> its fields as written: id, segment, label, distance, ...
    Map<String, String[]> members = new TreeMap<>();
    List<String> lines = Files.readAllLines(out.resolve("members.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      members.put(f[0], f);
    }
    return members;
  }
}

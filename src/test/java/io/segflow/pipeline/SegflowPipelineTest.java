package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole definitions, run end to end on small data with deliberately bad rows. */
@ExtendWith(TestPipelineExtension.class)
class SegflowPipelineTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();

  @Test
  void rulesRunEndToEndAndEveryRowIsAccountedFor(TestPipeline p, @TempDir Path out) {
    SegflowPipeline.Graph g = SegflowPipeline.build(p, CompiledDefinition.of(definition("rules.yaml")), environment(),
        new RunContext("r1", Instant.parse("2026-01-01T00:00:00Z"), out));
    PAssert.that(g.members()).satisfies(members -> {
      Map<String, String> segment = new HashMap<>();
      members.forEach(m -> segment.put(m.getString("customer_id"), m.getString("segment_label")));
      assertEquals(20, segment.size(), "20 customers with valid orders");
      for (int c = 0; c < 8; c++) {
        assertEquals("big", segment.get(String.format("b%02d", c)));
      }
      for (int c = 0; c < 12; c++) {
        assertEquals(c % 2 == 1 ? "repeat" : "one_off", segment.get(String.format("s%02d", c)));
      }
      members.forEach(m -> assertEquals("r1", m.getString("run_id")));
      return null;
    });
    PAssert.that(g.rejects()).satisfies(rejects -> {
      Map<Long, String> byLine = new HashMap<>();
      rejects.forEach(r -> byLine.put(r.getInt64("line"), r.getString("reason")));
      assertEquals(Map.of(
          75L, "amount 'lots' is not a FLOAT64",
          76L, "ordered_at '2024-02-30 10:00:00' is not a TIMESTAMP (yyyy-MM-dd HH:mm:ss)",
          77L, "has 2 fields, the header has 3"), byLine);
      return null;
    });
    PAssert.that(g.segments()).satisfies(segments -> {
      Map<String, Long> sizes = new HashMap<>();
      double share = 0;
      for (Row s : segments) {
        sizes.put(s.getString("segment_label"), s.getInt64("size"));
        share += s.getDouble("share");
      }
      assertEquals(Map.of("big", 8L, "repeat", 6L, "one_off", 6L), sizes);
      assertEquals(1.0, share, 1e-12);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void kmeansRunWritesMembersSegmentsModelAndRejects(TestPipeline p, @TempDir Path out) throws IOException {
    SegflowPipeline.build(p, CompiledDefinition.of(definition("kmeans.yaml")), environment(),
        new RunContext("k1", Instant.EPOCH, out));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    List<String> members = Files.readAllLines(out.resolve("members.csv"));
    assertEquals("customer_id,segment_id,segment_label,distance,margin,holdout,run_id,run_time", members.get(0));
    assertEquals(21, members.size(), "header + 20 members");
    Map<String, String> segmentOf = new HashMap<>();
    members.subList(1, members.size()).forEach(l -> segmentOf.put(l.split(",")[0], l.split(",")[1]));
    for (int c = 1; c < 8; c++) {
      assertEquals(segmentOf.get("b00"), segmentOf.get(String.format("b%02d", c)), "big customers together");
    }
    assertTrue(!segmentOf.get("b00").equals(segmentOf.get("s00")), "small apart from big");
    assertTrue(Files.readString(out.resolve("model.json")).contains("\"k\" : 2"));
    assertEquals(4, Files.readAllLines(out.resolve("rejects.csv")).size(), "header + 3 rejects");
    RunReport report = RunReport.of(result);
    assertEquals(Map.of("read", 76L, "rows", 73L, "rejected", 3L), report.sources().get("orders"));
    assertEquals(Map.of("read: amount '…' is not a FLOAT64", 1L,
        "read: ordered_at '…' is not a TIMESTAMP (yyyy-MM-dd HH:mm:ss)", 1L,
        "read: has 2 fields, the header has 3", 1L), report.rejectsByReason());
    assertEquals(20, report.entitiesFeatured());
    assertEquals(20, report.members());
    assertTrue(report.balanced());
  }

  @Test
  @Tag("flink")
  void theSameMembersOnFlinkAsOnDirect(@TempDir Path out) throws IOException {
    for (String runner : List.of("direct", "flink")) {
      Pipeline p = Pipeline.create(runner.equals("flink") ? RunOptions.flink("[local]") : RunOptions.direct());
      SegflowPipeline.build(p, CompiledDefinition.of(definition("kmeans.yaml")), environment(),
          new RunContext("same", Instant.EPOCH, out.resolve(runner)));
      assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    }
    Map<String, String[]> direct = members(out.resolve("direct/members.csv"));
    Map<String, String[]> flink = members(out.resolve("flink/members.csv"));
    assertEquals(direct.keySet(), flink.keySet());
    direct.forEach((customer, d) -> {
      String[] f = flink.get(customer);
      // Segment, label, distance and margin to the bit: the features' SUMs are exact (ExactDoubleSumFn).
      assertEquals(String.join(",", List.of(d).subList(1, 5)), String.join(",", List.of(f).subList(1, 5)),
          "member " + customer);
    });
  }

  @Test
  void theStepReadingTheSegmentIdsTakesListsOnTheDirectRunnerOnly(@TempDir Path out) {
    Map<String, String> membersInput = new HashMap<>();
    for (String runner : List.of("direct", "flink")) {
      Pipeline p = Pipeline.create(runner.equals("flink") ? RunOptions.flink("[local]") : RunOptions.direct());
      SegflowPipeline.build(p, CompiledDefinition.of(definition("kmeans.yaml")), environment(),
          new RunContext("lists", Instant.EPOCH, out.resolve(runner)));
      p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
        @Override
        public void visitPrimitiveTransform(TransformHierarchy.Node node) {
          if (node.getFullName().startsWith("Members/")) {
            node.getInputs().values().stream().filter(in -> !in.getName().contains("SegmentIdsView"))
                .forEach(in -> membersInput.put(runner, in.getName() + " " + in.getCoder().getClass().getSimpleName()));
          }
        }
      });
    }
    assertTrue(membersInput.get("direct").matches("AssignmentLists/.* ListCoder"), membersInput.toString());
    assertTrue(membersInput.get("flink").matches("Segment\\[kmeans\\]/.* RowCoder"), membersInput.toString());
  }

  private static Map<String, String[]> members(Path csv) throws IOException {
    Map<String, String[]> out = new HashMap<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      out.put(f[0], f);
    }
    return out;
  }

  private static SegmentDefinition definition(String file) {
    return Fixtures.definition(FIXTURES.resolve(file), environment());
  }

  private static Environment environment() {
    return Fixtures.environment(FIXTURES.resolve("env.yaml"));
  }

}

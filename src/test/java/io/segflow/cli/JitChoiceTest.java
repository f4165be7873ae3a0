package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.env.SourceBinding;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitChoiceTest {
  @TempDir Path dir;

  @Test
  void inputBytesAddsEveryFileASourceMatches() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "id\n1\n");
    Files.writeString(dir.resolve("b.csv"), "id\n22\n");
    Files.writeString(dir.resolve("other.json"), "{}\n");
    assertEquals(OptionalLong.of(11), JitChoice.inputBytes(environment(Map.of("s", files(dir.resolve("*.csv")))),
        Set.of("s")));
  }

  @Test
  void inputBytesCountsOnlyTheSourcesTheDefinitionReads() throws Exception {
    Path read = Files.writeString(dir.resolve("read.csv"), "id\n1\n");
    Path unread = Files.writeString(dir.resolve("unread.csv"), "id\n1234567890\n");
    assertEquals(OptionalLong.of(5), JitChoice.inputBytes(
        environment(Map.of("read", files(read), "unread", files(unread))), Set.of("read")));
  }

  @Test
  void inputBytesIsUnknownWithATableSource() {
    SourceBinding table = new SourceBinding.BigQuery(Optional.of("p.d.t"), Optional.empty(), Optional.empty(),
        Optional.empty(), SourceBinding.ReadMethod.DIRECT_READ, false);
    assertEquals(OptionalLong.empty(), JitChoice.inputBytes(environment(Map.of("t", table)), Set.of("t")));
  }

  @Test
  void c2IsExcludedUntilTheInputIsLarge() throws Exception {
    Path small = dir.resolve("small.csv");
    Files.writeString(small, "id\n1\n");
    Path large = dir.resolve("large.csv");
    try (RandomAccessFile f = new RandomAccessFile(large.toFile(), "rw")) {
      f.setLength(JitChoice.C2_FROM_BYTES); // sparse: its size is what counts
    }
    int before = directives();
    JitChoice jit = JitChoice.start();
    try {
      assertEquals(before + 1, directives(), "start() adds the directive that excludes C2");
      String smallChoice = jit.choose(environment(Map.of("s", files(small))), Set.of("s"));
      assertTrue(smallChoice.startsWith("JIT: C1 only"), smallChoice);
      assertEquals(before + 1, directives(), "a small input keeps it");
    } finally {
      String largeChoice = jit.choose(environment(Map.of("s", files(large))), Set.of("s"));
      assertTrue(largeChoice.startsWith("JIT: C1 and C2 (32 MB of input files)"), largeChoice);
    }
    assertEquals(before, directives(), "a large input removes it, so the rest of this JVM compiles with C2");
  }

  @Test
  void anUnknownSizeKeepsC1UntilTheRunIsOver() throws Exception {
    SourceBinding table = new SourceBinding.BigQuery(Optional.of("p.d.t"), Optional.empty(), Optional.empty(),
        Optional.empty(), SourceBinding.ReadMethod.DIRECT_READ, false);
    try (JitChoice jit = JitChoice.start()) {
      assertEquals("JIT: C1 only (input size unknown (not files))", jit.choose(environment(Map.of("t", table)), Set.of("t")));
      assertTrue(directivesText().contains("Exclude:true"), directivesText());
    }
    assertFalse(directivesText().contains("Exclude:true"), "closing lifts it: " + directivesText());
  }

  @Test
  void segflowJitC2NeverExcludesIt() throws Exception {
    System.setProperty("segflow.jit", "c2");
    try (JitChoice jit = JitChoice.start()) {
      assertFalse(directivesText().contains("Exclude:true"), directivesText());
      assertEquals("JIT: C1 and C2 (0 MB of input files, segflow.jit=c2)", jit.choose(environment(Map.of()), Set.of()));
    } finally {
      System.clearProperty("segflow.jit");
    }
  }

  @Test
  void anUnknownSegflowJitIsAUsageErrorBeforeAnythingRuns() throws Exception {
    System.setProperty("segflow.jit", "c3");
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = SegflowCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run",
          "segment-definitions/online_retail_rfm_kmeans.yaml");
      assertEquals(ExitCodes.USAGE, exit, err.toString());
      assertTrue(err.toString().contains("-Dsegflow.jit must be auto, c1 or c2, got 'c3'"), err.toString());
      assertFalse(directivesText().contains("Exclude:true"), "nothing was excluded: " + directivesText());
    } finally {
      System.clearProperty("segflow.jit");
    }
  }

  /** How many directives the JVM holds, from {@code jcmd Compiler.directives_print}'s own listing. */
  private static int directives() throws Exception {
    String text = directivesText();
    return text.split("Directive:", -1).length - 1;
  }

  private static String directivesText() throws Exception {
    return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
        new Object[] {new String[0]}, new String[] {String[].class.getName()})).replace(" ", "");
  }

  private Environment environment(Map<String, SourceBinding> sources) {
    return new Environment(dir.resolve("env.yaml"), "env.yaml", "test", Runner.DIRECT, sources,
        new OutputBinding.Files(dir, dir.resolve("warehouse.duckdb")), Optional.empty(), Optional.empty());
  }

  private static SourceBinding files(Path path) {
    return new SourceBinding.Files(SourceBinding.FileFormat.CSV, path, ',', SourceBinding.Typing.defaults(), false,
        OptionalInt.empty(), Optional.empty());
  }
}

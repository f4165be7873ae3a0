package io.segflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

  @Test
  void aFolderWithoutRunJsonIsNoRunsFolder(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertTrue(e.getMessage().startsWith(dir + " is not a run's folder: it has no run.json"), e.getMessage());
  }

  @Test
  void aBadValueIsNamedByFileLineAndColumn(@TempDir Path dir) throws IOException {
    write(dir, "segment_id,feature_recency\n0,12\n1,twelve\n");
    IOException e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertEquals(dir.resolve("sample.csv") + ":3: feature_recency is not a number: \"twelve\"", e.getMessage());
  }

  @Test
  void transitionsAreCountedPerCellAndNewMembersHaveNoPreviousSegment(@TempDir Path dir) throws IOException {
    write(dir, "segment_id,feature_recency\n0,12\n1,\n");
    Files.writeString(dir.resolve("transitions.csv"), "customer_id,run_id,run_time,previous_run_id,from_segment_id,"
        + "to_segment_id\na,r2,t,r1,0,1\nb,r2,t,r1,0,1\nc,r2,t,r1,,0\nd,r2,t,r1,1,\n");
    RunFolder run = RunFolder.read(dir);
    assertEquals(Map.of(new RunFolder.Transition(0, 1), 2L, new RunFolder.Transition(null, 0), 1L),
        Map.copyOf(run.transitions()));
    assertTrue(Double.isNaN(run.sample().orElseThrow().values()[1][0]), "an empty value is missing, not zero");
  }

  @Test
  void aSegmentsFileWithoutItsColumnsOrWithABadSizeIsNamedWithItsLine(@TempDir Path dir) throws IOException {
    write(dir, "segment_id,feature_recency\n0,12\n");
    Files.writeString(dir.resolve("segments.csv"), "segment_id,segment_label,share\n0,a,1\n");
    IOException e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("segments.csv") + ":1: no column size"), e.getMessage());

    Files.writeString(dir.resolve("segments.csv"), "segment_id,segment_label,size,share\n0,a,1,1\nx,b,1,1\n");
    e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertEquals(dir.resolve("segments.csv") + ":3: segment_id is not an integer: \"x\"", e.getMessage());

    Files.writeString(dir.resolve("segments.csv"), "segment_id,segment_label,size,share\n0,\"a\"b,1,1\n");
    e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("segments.csv") + ": not CSV: "), e.getMessage());
  }

  @Test
  void aTransitionsFileThatIsNotCsvIsNamed(@TempDir Path dir) throws IOException {
    write(dir, "segment_id,feature_recency\n0,12\n");
    Files.writeString(dir.resolve("transitions.csv"), "from_segment_id,to_segment_id\n0,1\n\"1\"x,2\n");
    IOException e = assertThrows(IOException.class, () -> RunFolder.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("transitions.csv") + ": not CSV: "), e.getMessage());
  }

  private static void write(Path dir, String sample) throws IOException {
    Files.writeString(dir.resolve("run.json"), "{\"definition\":\"d\",\"run_id\":\"r2\",\"members\":2}");
    Files.writeString(dir.resolve("segments.csv"), "segment_id,segment_label,size,share,recency_mean\n"
        + "1,b,1,0.5,\n0,a,1,0.5,12\n");
    Files.writeString(dir.resolve("sample.csv"), sample);
  }
}

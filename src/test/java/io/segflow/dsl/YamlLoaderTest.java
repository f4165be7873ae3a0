package io.segflow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.load.DocumentReader;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlLoader;
import io.segflow.dsl.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlLoaderTest {
  @Test
  void aFileOverTheLimitIsRejectedWithoutParsing(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.write(big, ("description: " + "x".repeat(YamlLoader.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8));
    DocumentReader.Read read = DocumentReader.read(big, "big.yaml", SchemaValidator.forDefinitions());
    assertEquals(1, read.diagnostics().size());
    Diagnostic d = read.diagnostics().get(0);
    assertEquals(DiagnosticCode.FILE_TOO_LARGE, d.code());
    assertEquals(Position.START, d.position());
  }

  @Test
  void aMissingFileAndAFolderAreUnreadable(@TempDir Path dir) {
    assertEquals(DiagnosticCode.FILE_UNREADABLE,
        DocumentReader.read(dir.resolve("nope.yaml"), "nope.yaml", SchemaValidator.forDefinitions()).diagnostics().get(0).code());
    assertEquals(DiagnosticCode.FILE_UNREADABLE,
        DocumentReader.read(dir, "dir", SchemaValidator.forDefinitions()).diagnostics().get(0).code());
  }

  @Test
  void manyKeysUnderTheSizeLimitAreReportedQuickly() {
    StringBuilder yaml = new StringBuilder("apiVersion: segflow/v1\n");
    for (int i = 0; i < 5_000; i++) {
      yaml.append("key").append(i).append(": ").append(i).append('\n');
    }
    List<Diagnostic> diagnostics = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> DocumentReader.parse(
        "many.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8), SchemaValidator.forDefinitions()).diagnostics());
    assertEquals(new Position(2, 1), diagnostics.stream()
        .filter(d -> d.code() == DiagnosticCode.UNKNOWN_KEY).findFirst().orElseThrow().position());
  }

  @Test
  void tooManyValuesStopTheLoaderWhereTheLimitIsCrossed() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 15_000; i++) {
      yaml.append("key").append(i).append(": ").append(i).append('\n');
    }
    YamlLoader.Failed failed = assertInstanceOf(YamlLoader.Failed.class,
        YamlLoader.load("many.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8)));
    assertEquals(DiagnosticCode.TOO_COMPLEX, failed.diagnostic().code());
    assertEquals(new Position(10_000, 10), failed.diagnostic().position());
  }

  @Test
  void positionsAreOneBasedAndCountCodePoints() {
    String yaml = "\uFEFFa: 1\nb:\n  c: \"\u00e9\u00e9\"\n  d: [x, y]\n";
    YamlDocument doc = loaded(yaml);
    YamlDocument.Located d1 = doc.locate(List.of("b", "d", 1));
    assertEquals(new Position(4, 10), d1.node().start());
    assertEquals(new Position(4, 3), doc.locate(List.of("b", "d")).keyOrStart());
    assertEquals(new Position(3, 6), doc.locate(List.of("b", "c")).node().start());
  }

  @Test
  void scalarsResolveByTheYaml12CoreSchema() {
    YamlNode.Mapping root = (YamlNode.Mapping) loaded("a: yes\nb: 0x1F\nc: .inf\nd: ~\ne: '3'\nf: 1_000\n").root();
    assertEquals(YamlNode.ScalarKind.STRING, kind(root, "a"), "yes is a string in YAML 1.2");
    assertEquals(YamlNode.ScalarKind.INTEGER, kind(root, "b"));
    assertEquals(YamlNode.ScalarKind.FLOAT, kind(root, "c"));
    assertEquals(YamlNode.ScalarKind.NULL, kind(root, "d"));
    assertEquals(YamlNode.ScalarKind.STRING, kind(root, "e"));
  }

  @Test
  void crlfLineEndingsKeepLinePositions() {
    YamlDocument doc = loaded("a: 1\r\nb:\r\n  c: 2\r\n");
    assertEquals(new Position(3, 6), doc.locate(List.of("b", "c")).node().start());
  }

  private static YamlNode.ScalarKind kind(YamlNode.Mapping map, String key) {
    return ((YamlNode.Scalar) map.entry(key).value()).kind();
  }

  private static YamlDocument loaded(String yaml) {
    YamlLoader.Result result = YamlLoader.load("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    return assertInstanceOf(YamlLoader.Loaded.class, result, () -> result.toString()).document();
  }
}

package io.segflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The Flex Template's metadata is the options' annotations: committed as generated, and checked by them. */
class TemplateMetadataTest {
  private static final Path COMMITTED = Path.of("pipelines/flex-template/metadata.json");

  @Test
  void theCommittedMetadataIsWhatTheOptionsGenerate() throws Exception {
    // The build rewrites the file; CI (.ci/run) fails when the rewritten file differs from the commit.
    assertEquals(TemplateMetadata.text(SegflowTemplateOptions.class), Files.readString(COMMITTED),
        "run mvn process-classes and commit pipelines/flex-template/metadata.json");
  }

  @Test
  void everyParameterIsAnOptionTheLauncherParses() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(COMMITTED.toFile());
    assertEquals("segflow", metadata.get("name").asText());
    assertFalse(metadata.get("streaming").asBoolean());
    List<String> names = new ArrayList<>();
    metadata.get("parameters").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(List.of("definition", "environment", "runId", "parameterValues", "previousRunId"), names);
    // Each parameter as a launch passes it lands on the option of that name.
    List<String> args = names.stream().map(n -> "--" + n + "=" + example(n)).toList();
    PipelineOptionsFactory.register(SegflowTemplateOptions.class);
    SegflowTemplateOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(SegflowTemplateOptions.class);
    assertEquals(List.of(example("definition"), example("environment"), example("runId"), example("parameterValues"),
        example("previousRunId")), List.of(options.getDefinition(), options.getEnvironment(), options.getRunId(),
        options.getParameterValues(), options.getPreviousRunId()));
    assertEquals(List.of("definition"), names.stream()
        .filter(n -> !metadata.get("parameters").get(names.indexOf(n)).get("isOptional").asBoolean()).toList());
  }

  @Test
  void theRegexesTakeWhatTheLauncherTakesAndRefuseTheRest() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(COMMITTED.toFile());
    Map<String, List<String>> refused = Map.of(
        "definition", List.of("/etc/passwd", "segment-definitions/x.json", ""),
        "environment", List.of("prod;rm", "../x yaml"),
        "runId", List.of("a b", "x".repeat(65)),
        "parameterValues", List.of("as_of", "=1", "a=1;;b=2"),
        "previousRunId", List.of("r1/../r2"));
    for (JsonNode p : metadata.get("parameters")) {
      String name = p.get("name").asText();
      Pattern regex = Pattern.compile(p.get("regexes").get(0).asText());
      assertTrue(regex.matcher(example(name)).matches(), name + " refuses " + example(name));
      refused.get(name).forEach(bad -> assertFalse(regex.matcher(bad).matches(), name + " takes '" + bad + "'"));
    }
  }

  private static String example(String parameter) {
    return switch (parameter) {
      case "definition" -> "segment-definitions/online_retail_rfm_kmeans.yaml";
      case "environment" -> "prod";
      case "runId" -> "20261206T050000Z";
      case "parameterValues" -> "as_of=2026-12-01;min_orders=2";
      case "previousRunId" -> "20261129T050000Z";
      default -> throw new IllegalArgumentException(parameter);
    };
  }
}

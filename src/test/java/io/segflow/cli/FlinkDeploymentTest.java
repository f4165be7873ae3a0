package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The Flink Kubernetes Operator's FlinkDeployment and the image it names agree with each other and with
 * segflow: the entry class is a main, its arguments are a segflow command line over files the image has,
 * and the image's Flink is the version Beam's Flink runner was built against.
 */
class FlinkDeploymentTest {
  private static final Path MANIFEST = Path.of("pipelines/flink/flink-deployment.yaml");
  private static final Path DOCKERFILE = Path.of("pipelines/flink/Dockerfile");

  @Test
  @SuppressWarnings("unchecked")
  void theApplicationJobIsASegflowRunOverTheImagesFiles() throws Exception {
    Map<String, Object> manifest = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(MANIFEST));
    assertEquals("FlinkDeployment", manifest.get("kind"));
    Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
    Map<String, Object> job = (Map<String, Object>) spec.get("job");

    Class<?> entry = Class.forName((String) job.get("entryClass"));
    assertTrue(Modifier.isStatic(entry.getMethod("main", String[].class).getModifiers()));
    String dockerfile = Files.readString(DOCKERFILE);
    String jar = ((String) job.get("jarURI")).substring("local://".length());
    assertTrue(dockerfile.contains("COPY target/segflow.jar " + jar), "the image puts the jar at " + jar);

    List<String> args = (List<String>) job.get("args");
    CommandLine.ParseResult parsed = new CommandLine(new SegflowCli()).setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(args.toArray(String[]::new));
    assertEquals("run", parsed.subcommand().commandSpec().name());
    // The definition is where the image copies segment-definitions/, and exists in the repository.
    Matcher home = Pattern.compile("ENV SEGFLOW_HOME=(\\S+)").matcher(dockerfile);
    assertTrue(home.find(), "the image sets SEGFLOW_HOME");
    String definition = args.get(1);
    assertTrue(definition.startsWith(home.group(1) + "/segment-definitions/"), definition);
    assertTrue(Files.isRegularFile(Path.of(definition.substring(home.group(1).length() + 1))), definition);
    assertEquals("[auto]", args.get(args.indexOf("--flink-master") + 1), "the operator's cluster");
    assertTrue(Files.isRegularFile(Path.of("pipelines/environments", args.get(args.indexOf("--env") + 1) + ".yaml")));
  }

  @Test
  void theImagesFlinkIsTheOneBeamsRunnerWasBuiltAgainst() throws IOException {
    Matcher from = Pattern.compile("FROM flink:(\\d+\\.\\d+\\.\\d+)-").matcher(Files.readString(DOCKERFILE));
    assertTrue(from.find());
    String classpath = Files.readString(Path.of("target/runtime-classpath.txt"));
    Matcher runtime = Pattern.compile("flink-runtime-(\\d+\\.\\d+\\.\\d+)\\.jar").matcher(classpath);
    assertTrue(runtime.find(), "flink-runtime on segflow's classpath");
    assertEquals(runtime.group(1), from.group(1));
    String minor = from.group(1).substring(0, from.group(1).lastIndexOf('.'));
    assertTrue(Files.readString(MANIFEST).contains("flinkVersion: v" + minor.replace('.', '_')));
  }
}

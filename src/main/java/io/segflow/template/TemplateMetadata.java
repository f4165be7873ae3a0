package io.segflow.template;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Flex Template's metadata file ({@code gcloud dataflow flex-template build --metadata-file}), made from
 * the {@link TemplateParameter}s of the options interface, so the launch form and the launcher cannot
 * disagree. The build writes it into {@code pipelines/flex-template/} (never edit it by hand); CI fails when
 * the committed file differs from what the build made.
 */
public final class TemplateMetadata {
  public static final String NAME = "segflow";
  public static final String DESCRIPTION = "Runs a segflow segment definition: reads its sources, computes its "
      + "features with Beam SQL, segments the customers, and writes the run's members, segments, model and rejects "
      + "into the environment's BigQuery dataset.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TemplateMetadata() {}

  /** The metadata of a batch template over {@code options}' annotated getters, in their declared order. */
  public static ObjectNode of(Class<?> options) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", NAME);
    root.put("description", DESCRIPTION);
    root.put("streaming", false);
    ArrayNode parameters = root.putArray("parameters");
    for (Method getter : parameters(options)) {
      TemplateParameter p = getter.getAnnotation(TemplateParameter.class);
      ObjectNode out = parameters.addObject();
      out.put("name", propertyName(getter));
      out.put("label", p.label());
      out.put("helpText", p.helpText());
      out.put("isOptional", p.optional());
      if (p.regexes().length > 0) {
        ArrayNode regexes = out.putArray("regexes");
        Arrays.stream(p.regexes()).forEach(regexes::add);
      }
    }
    return root;
  }

  /** The annotated getters, by {@link TemplateParameter#order()}. */
  static List<Method> parameters(Class<?> options) {
    List<Method> getters = Arrays.stream(options.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(TemplateParameter.class))
        .sorted(Comparator.comparingInt(m -> m.getAnnotation(TemplateParameter.class).order())).toList();
    for (Method m : getters) {
      if (!m.getName().startsWith("get") || m.getParameterCount() != 0 || m.getReturnType() != String.class) {
        throw new IllegalStateException(m + ": a template parameter is a String getter");
      }
    }
    return getters;
  }

  /** The option's name as a launch passes it: getRunId is runId. */
  static String propertyName(Method getter) {
    return Introspector.decapitalize(getter.getName().substring(3));
  }

  /** The file's text: two-space indents, one parameter field per line, a final newline. */
  public static String text(Class<?> options) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(
        new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return JSON.writer(printer).writeValueAsString(of(options)) + "\n";
  }

  /** Writes the metadata file; the build calls this with pipelines/flex-template/metadata.json. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TemplateMetadata OUTPUT_FILE");
    }
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text(SegflowTemplateOptions.class));
  }
}

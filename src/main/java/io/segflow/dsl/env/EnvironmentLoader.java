package io.segflow.dsl.env;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.load.DocumentReader;
import io.segflow.dsl.load.YamlFields;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads an environment file: shape against {@code environment.v1.json}, then bindings resolved (relative
 * paths from the environment file's folder) and file bindings checked to match at least one file.
 */
public final class EnvironmentLoader {
  private EnvironmentLoader() {}

  public record Loaded(Optional<Environment> environment, Optional<YamlDocument> document, List<Diagnostic> diagnostics) {
    public Loaded {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  public static Loaded load(Path file, String displayPath) {
    DocumentReader.Read read = DocumentReader.read(file, displayPath, SchemaValidator.forEnvironments());
    if (read.document().isEmpty() || read.hasErrors()) {
      return new Loaded(Optional.empty(), read.document(), read.diagnostics());
    }
    YamlDocument doc = read.document().get();
    YamlNode.Mapping root = (YamlNode.Mapping) doc.root();
    Path folder = file.toAbsolutePath().normalize().getParent();
    List<Diagnostic> diagnostics = new ArrayList<>(read.diagnostics());
    Map<String, SourceBinding> sources = new LinkedHashMap<>();
    YamlFields.mapping(root, "sources").orElseThrow().entries().forEach((name, entry) -> {
      YamlNode.Mapping binding = (YamlNode.Mapping) entry.value();
      SourceBinding bound = binding(folder, binding);
      if (bound instanceof SourceBinding.Files files && !matchesAFile(files.path())) {
        YamlNode.Entry path = binding.entry("path");
        diagnostics.add(Diagnostic.error(displayPath, path.value().start(), DiagnosticCode.BOUND_FILE_MISSING,
            "sources." + name + ".path", "no file matches " + files.path()));
      }
      sources.put(name, bound);
    });
    Environment environment = new Environment(
        file.toAbsolutePath().normalize(),
        displayPath,
        YamlFields.requiredString(root, "name"),
        Runner.valueOf(YamlFields.requiredString(root, "runner").toUpperCase(Locale.ROOT)),
        sources,
        output(folder, YamlFields.mapping(root, "output").orElseThrow()));
    return new Loaded(Optional.of(environment), Optional.of(doc), diagnostics);
  }

  private static SourceBinding binding(Path folder, YamlNode.Mapping b) {
    if (YamlFields.requiredString(b, "kind").equals("bigquery")) {
      return new SourceBinding.BigQuery(YamlFields.string(b, "table"), YamlFields.string(b, "row_filter"),
          YamlFields.string(b, "query"), YamlFields.string(b, "location"));
    }
    return new SourceBinding.Files(
        SourceBinding.FileFormat.valueOf(YamlFields.requiredString(b, "format").toUpperCase(Locale.ROOT)),
        folder.resolve(YamlFields.requiredString(b, "path")).normalize(),
        YamlFields.string(b, "delimiter").orElse(",").charAt(0),
        b.entry("null_values") == null ? List.of("") : YamlFields.strings(b, "null_values"),
        YamlFields.string(b, "date_format"),
        YamlFields.string(b, "timestamp_format"),
        YamlFields.string(b, "time_zone").orElse("UTC"));
  }

  private static OutputBinding output(Path folder, YamlNode.Mapping o) {
    if (YamlFields.requiredString(o, "kind").equals("bigquery")) {
      return new OutputBinding.BigQuery(YamlFields.requiredString(o, "dataset"), YamlFields.string(o, "location"));
    }
    Path path = folder.resolve(YamlFields.requiredString(o, "path")).normalize();
    Path warehouse = YamlFields.string(o, "warehouse").map(w -> folder.resolve(w).normalize())
        .orElse(path.resolve("warehouse.duckdb"));
    return new OutputBinding.Files(path, warehouse);
  }

  /** True if the path names a file, or is a glob in its last part that matches one. */
  static boolean matchesAFile(Path path) {
    if (Files.isRegularFile(path)) {
      return true;
    }
    Path parent = path.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return false;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName());
    try (Stream<Path> files = Files.list(parent)) {
      return files.anyMatch(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName()));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}

package io.segflow.dsl.env;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.load.DocumentReader;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
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
import java.util.OptionalInt;
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
      checkFiles(bound, binding, "sources." + name, displayPath).ifPresent(diagnostics::add);
      if (bound instanceof SourceBinding.PubSub pubsub && pubsub.history().isPresent()) {
        checkFiles(pubsub.history().get(), (YamlNode.Mapping) binding.entry("history").value(),
            "sources." + name + ".history", displayPath).ifPresent(diagnostics::add);
      }
      sources.put(name, bound);
    });
    Environment environment = new Environment(
        file.toAbsolutePath().normalize(),
        displayPath,
        YamlFields.requiredString(root, "name"),
        Runner.valueOf(YamlFields.requiredString(root, "runner").toUpperCase(Locale.ROOT)),
        sources,
        output(folder, YamlFields.mapping(root, "output").orElseThrow()),
        YamlFields.mapping(root, "gcp").map(g -> new Environment.Gcp(YamlFields.requiredString(g, "project"),
            YamlFields.requiredString(g, "temp_location"))),
        YamlFields.mapping(root, "dataflow").map(d -> new Environment.Dataflow(YamlFields.requiredString(d, "region"),
            YamlFields.string(d, "service_account"), YamlFields.string(d, "staging_location"),
            YamlFields.integer(d, "max_workers").map(Long::intValue), YamlFields.string(d, "machine_type"),
            YamlFields.string(d, "subnetwork"), YamlFields.string(d, "launcher_image"),
            YamlFields.string(d, "template_file"))));
    diagnostics.addAll(cloudChecks(environment, doc));
    diagnostics.addAll(eventTimeChecks(environment, doc));
    return new Loaded(Optional.of(environment), Optional.of(doc), diagnostics);
  }

  /**
   * Where a key of a loaded environment is in its file, for a diagnostic found after loading (a
   * subscription or dataset that does not exist, an event_time the definition does not declare).
   */
  public static Position positionOf(Environment env, List<String> path) {
    return load(env.file(), env.displayPath()).document()
        .map(d -> d.locate(new ArrayList<>(path)).node().start()).orElse(Position.START);
  }

  /** A file binding whose path matches no file: SF403 at the path. */
  private static Optional<Diagnostic> checkFiles(SourceBinding bound, YamlNode.Mapping binding, String field,
      String displayPath) {
    if (bound instanceof SourceBinding.Files files && !matchesAFile(files.path())) {
      return Optional.of(Diagnostic.error(displayPath, binding.entry("path").value().start(),
          DiagnosticCode.BOUND_FILE_MISSING, field + ".path", "no file matches " + files.path()));
    }
    return Optional.empty();
  }

  /** What BigQuery and Dataflow need that the schema alone cannot say. */
  private static List<Diagnostic> cloudChecks(Environment env, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    if (env.usesBigQuery() && env.gcp().isEmpty()) {
      String first = env.output() instanceof OutputBinding.BigQuery ? "output"
          : env.sources().entrySet().stream()
              .map(e -> e.getValue() instanceof SourceBinding.BigQuery ? "sources." + e.getKey()
                  : e.getValue() instanceof SourceBinding.PubSub p && p.history().orElse(null) instanceof SourceBinding.BigQuery
                      ? "sources." + e.getKey() + ".history" : null)
              .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
      List<Object> path = new ArrayList<>(List.of(first.split("\\.")));
      out.add(Diagnostic.error(env.displayPath(), doc.locate(path).keyOrStart(), DiagnosticCode.GCP_SETTINGS_MISSING,
          first, "BigQuery needs a project to run jobs in and a gs:// folder for temporary files; add "
              + "gcp: {project: my-project, temp_location: gs://my-bucket/tmp}"));
    }
    if (env.runner() == Runner.DATAFLOW && !env.hasDataflowSettings()) {
      out.add(Diagnostic.error(env.displayPath(), doc.locate(List.of("runner")).node().start(),
          DiagnosticCode.GCP_SETTINGS_MISSING, "runner", "the dataflow runner needs gcp: {project, temp_location} "
              + "and dataflow: {region}"));
    }
    env.sources().forEach((name, binding) -> {
      if (binding instanceof SourceBinding.BigQuery bq && bq.rowFilter().isPresent()
          && (bq.table().isEmpty() || bq.readMethod() != SourceBinding.ReadMethod.DIRECT_READ)) {
        out.add(Diagnostic.error(env.displayPath(), doc.locate(List.of("sources", name, "row_filter")).node().start(),
            DiagnosticCode.ROW_FILTER_WITHOUT_DIRECT_READ, "sources." + name + ".row_filter",
            bq.table().isEmpty() ? "row_filter filters a table; put the condition in the query's WHERE clause"
                : "row_filter is pushed down to the Storage Read API; remove read_method: export, or the filter"));
      }
    });
    return out;
  }

  /**
   * A Pub/Sub event has one time: its column's or its attribute's. Its history's rows have no attributes:
   * they need the column.
   */
  private static List<Diagnostic> eventTimeChecks(Environment env, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    env.sources().forEach((name, binding) -> {
      if (binding instanceof SourceBinding.PubSub pubsub && pubsub.history().isPresent()
          && pubsub.eventTime().isEmpty()) {
        out.add(Diagnostic.error(env.displayPath(), doc.locate(List.of("sources", name, "history")).keyOrStart(),
            DiagnosticCode.MISSING_KEY, "sources." + name + ".history", "the history's rows are placed in time "
                + "by the binding's event_time (a column), which is missing: add event_time: COLUMN"));
      }
      if (binding instanceof SourceBinding.PubSub pubsub && pubsub.eventTime().isPresent()
          && pubsub.timestampAttribute().isPresent()) {
        out.add(Diagnostic.error(env.displayPath(), doc.locate(List.of("sources", name, "timestamp_attribute")).keyOrStart(),
            DiagnosticCode.EXCLUSIVE_KEYS, "sources." + name, "give one of event_time (a column of the message's "
                + "JSON) and timestamp_attribute (an attribute of the message), not both"));
      }
      if (binding instanceof SourceBinding.PubSub pubsub && pubsub.reevaluate().isPresent()
          && pubsub.reevaluate().get().horizon().compareTo(pubsub.reevaluate().get().every()) < 0) {
        List<String> key = List.of("sources", name, "reevaluate", "for");
        out.add(Diagnostic.error(env.displayPath(), doc.locate(key).keyOrStart(), DiagnosticCode.INVALID_VALUE,
            String.join(".", key), "re-evaluating for less than one interval (every) would never re-evaluate: "
                + "give a for of at least every, or leave reevaluate out"));
      }
    });
    return out;
  }

  private static SourceBinding binding(Path folder, YamlNode.Mapping b) {
    if (YamlFields.requiredString(b, "kind").equals("pubsub")) {
      return new SourceBinding.PubSub(YamlFields.requiredString(b, "subscription"), YamlFields.string(b, "event_time"),
          YamlFields.string(b, "timestamp_attribute"), YamlFields.string(b, "id_attribute"),
          YamlFields.string(b, "allowed_lateness").map(EnvironmentLoader::lateness), typing(b),
          YamlFields.mapping(b, "history").map(h -> binding(folder, h)),
          YamlFields.mapping(b, "reevaluate").map(r -> new SourceBinding.Reevaluation(
              lateness(YamlFields.requiredString(r, "every")),
              YamlFields.string(r, "for").map(EnvironmentLoader::lateness).orElse(SourceBinding.Reevaluation.DEFAULT_HORIZON))));
    }
    if (YamlFields.requiredString(b, "kind").equals("bigquery")) {
      return new SourceBinding.BigQuery(YamlFields.string(b, "table"), YamlFields.string(b, "row_filter"),
          YamlFields.string(b, "query"), YamlFields.string(b, "location"),
          SourceBinding.ReadMethod.valueOf(YamlFields.string(b, "read_method").orElse("direct_read").toUpperCase(Locale.ROOT)),
          allowEmpty(b));
    }
    return new SourceBinding.Files(
        SourceBinding.FileFormat.valueOf(YamlFields.requiredString(b, "format").toUpperCase(Locale.ROOT)),
        folder.resolve(YamlFields.requiredString(b, "path")).normalize(),
        YamlFields.string(b, "delimiter").orElse(",").charAt(0),
        typing(b),
        allowEmpty(b),
        YamlFields.integer(b, "max_record_bytes").map(n -> OptionalInt.of(n.intValue())).orElse(OptionalInt.empty()),
        YamlFields.string(b, "event_time"));
  }

  /** 30m, 6h, 2d: the schema's pattern has checked the text. */
  private static java.time.Duration lateness(String text) {
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> java.time.Duration.ofSeconds(n);
      case 'm' -> java.time.Duration.ofMinutes(n);
      case 'h' -> java.time.Duration.ofHours(n);
      default -> java.time.Duration.ofDays(n);
    };
  }

  private static SourceBinding.Typing typing(YamlNode.Mapping b) {
    SourceBinding.Typing defaults = SourceBinding.Typing.defaults();
    return new SourceBinding.Typing(
        b.entry("null_values") == null ? defaults.nullValues() : YamlFields.strings(b, "null_values"),
        YamlFields.string(b, "date_format"),
        YamlFields.string(b, "timestamp_format"),
        YamlFields.string(b, "time_zone").orElse(defaults.timeZone()),
        YamlFields.string(b, "missing_keys").orElse("reject").equals("null"));
  }

  private static boolean allowEmpty(YamlNode.Mapping b) {
    return YamlFields.string(b, "allow_empty").map(Boolean::parseBoolean).orElse(false);
  }

  private static OutputBinding output(Path folder, YamlNode.Mapping o) {
    if (YamlFields.requiredString(o, "kind").equals("bigquery")) {
      return new OutputBinding.BigQuery(YamlFields.requiredString(o, "dataset"), YamlFields.string(o, "location"),
          YamlFields.string(o, "changes_topic"));
    }
    Path path = folder.resolve(YamlFields.requiredString(o, "path")).normalize();
    Path warehouse = YamlFields.string(o, "warehouse").map(w -> folder.resolve(w).normalize())
        .orElse(path.resolve("warehouse.duckdb"));
    return new OutputBinding.Files(path, warehouse, YamlFields.string(o, "changes_topic"));
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

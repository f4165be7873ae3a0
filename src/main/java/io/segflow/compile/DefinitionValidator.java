package io.segflow.compile;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Diagnostics;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionFiles;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.methods.MethodSyntax;
import io.segflow.dsl.methods.MethodSyntaxes;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SqlOrigin;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.validate.DefinitionChecks;
import io.segflow.dsl.validate.ParameterValues;
import io.segflow.dsl.yaml.YamlDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Validates definitions against an environment, every stage in turn: environment, shape, meaning, SQL.
 * Collects every problem; a stage that cannot run on a broken input is skipped for that input only.
 */
public final class DefinitionValidator {
  private final SqlPreflight preflight = new SqlPreflight();
  private final Map<String, String> parameterOverrides;

  /** Checks each definition with its parameters' defaults. */
  public DefinitionValidator() {
    this(Map.of());
  }

  /**
   * Checks each definition with these values for some of its parameters (a run's {@code --param}s), so the
   * compiled definition is the run's.
   */
  public DefinitionValidator(Map<String, String> parameterOverrides) {
    this.parameterOverrides = Map.copyOf(parameterOverrides);
  }

  /** An override that names no parameter of a valid definition, or does not fit its type: a wrong command line. */
  public static final class BadParameter extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadParameter(String message) {
      super(message);
    }
  }

  /**
   * What validation found, how many definitions it looked at, and the valid ones compiled (in the order of
   * the targets), so a command that goes on to run one need not load, check or plan it again.
   */
  public record Report(Diagnostics diagnostics, int definitions, Optional<Environment> environment,
      List<CompiledDefinition> valid) {
    public Report {
      valid = List.copyOf(valid);
    }
  }

  /** The outcome for one definition: its diagnostics, and the definition compiled if it is valid. */
  public record Checked(Optional<CompiledDefinition> compiled, List<Diagnostic> diagnostics) {
    public Optional<SegmentDefinition> definition() {
      return compiled.map(CompiledDefinition::definition);
    }
  }

  /** The features query's diagnostics, and its plan where it planned. */
  private record SqlChecked(List<Diagnostic> diagnostics, Optional<PlannedQuery> features) {
    static SqlChecked problems(List<Diagnostic> diagnostics) {
      return new SqlChecked(diagnostics, Optional.empty());
    }
  }

  /**
   * @throws BadParameter where an override does not fit a definition that is otherwise valid
   */
  public Report validate(List<DefinitionFiles.Target> targets, String environmentArgument, EnvironmentResolver resolver) {
    Diagnostics all = new Diagnostics();
    Optional<Environment> env = loadEnvironment(environmentArgument, resolver, all);
    Map<String, String> seenNames = new HashMap<>();
    List<CompiledDefinition> valid = new java.util.ArrayList<>();
    for (DefinitionFiles.Target target : targets) {
      DefinitionLoader.Loaded loaded = DefinitionLoader.load(target.file(), target.display());
      Checked checked = check(loaded, env);
      all.addAll(checked.diagnostics());
      checked.compiled().ifPresent(valid::add);
      loaded.definition().ifPresent(def -> {
        YamlDocument doc = loaded.document().orElseThrow();
        String previous = seenNames.putIfAbsent(def.name(), target.display());
        if (previous != null) {
          all.add(Diagnostic.error(target.display(), doc.locate(List.of("name")).node().start(),
              DiagnosticCode.DUPLICATE_DEFINITION_NAME, "name", "'" + def.name() + "' is also the name of "
                  + previous + "; names pick the output tables, so each definition needs its own"));
        }
      });
    }
    return new Report(all, targets.size(), env, valid);
  }

  /** Loads the environment; its problems are reported against its own file. */
  public static Optional<Environment> loadEnvironment(String argument, EnvironmentResolver resolver, Diagnostics sink) {
    EnvironmentResolver.Resolution resolution = resolver.resolve(argument);
    if (resolution instanceof EnvironmentResolver.NotFound notFound) {
      sink.add(Diagnostic.error(argument, Position.START, DiagnosticCode.ENVIRONMENT_NOT_FOUND, "--env",
          notFound.message()));
      return Optional.empty();
    }
    EnvironmentResolver.Found found = (EnvironmentResolver.Found) resolution;
    EnvironmentLoader.Loaded loaded = EnvironmentLoader.load(found.file(), found.display());
    sink.addAll(loaded.diagnostics());
    return loaded.environment();
  }

  /**
   * Every check of one loaded definition against an environment (when there is one).
   *
   * @throws BadParameter where an override does not fit a definition that is otherwise valid
   */
  public Checked check(DefinitionLoader.Loaded loaded, Optional<Environment> env) {
    List<Diagnostic> out = new java.util.ArrayList<>(loaded.diagnostics());
    if (loaded.definition().isEmpty()) {
      return new Checked(Optional.empty(), out);
    }
    SegmentDefinition def = loaded.definition().get();
    YamlDocument doc = loaded.document().orElseThrow();
    out.addAll(DefinitionChecks.check(def, doc, env));
    Map<String, String> values;
    Optional<String> badOverride = Optional.empty();
    try {
      values = ParameterValues.resolve(def.parameters(), parameterOverrides);
    } catch (IllegalArgumentException e) {
      badOverride = Optional.of(e.getMessage());
      try {
        // The definition is still checked with its defaults, so its own problems come first.
        values = ParameterValues.resolve(def.parameters(), Map.of());
      } catch (IllegalArgumentException inDefinition) {
        return new Checked(Optional.empty(), out); // a default that does not fit: DefinitionChecks reports it
      }
    }
    Map<String, String> literals = SqlParameters.literals(def.parameters(), values);
    SqlChecked sql = checkSql(def, doc, literals);
    out.addAll(sql.diagnostics());
    boolean valid = out.stream().noneMatch(Diagnostic::isError);
    if (valid && badOverride.isPresent()) {
      throw new BadParameter(badOverride.get());
    }
    return new Checked(valid ? Optional.of(new CompiledDefinition(def, values, literals, sql.features().orElseThrow()))
        : Optional.empty(), out);
  }

  private SqlChecked checkSql(SegmentDefinition def, YamlDocument doc, Map<String, String> literals) {
    Map<String, Schema> tables = CompiledDefinition.tables(def);
    SqlText sql = def.features().sql();
    SqlOrigin origin = sql.origin();
    RewrittenSql rewritten;
    try {
      rewritten = SegflowSql.rewrite(sql.text(), literals);
    } catch (SqlRewriter.Problem p) {
      return SqlChecked.problems(List.of(rewriteProblem(p, sql, featuresField(doc), DiagnosticCode.SQL_INVALID)));
    }
    SqlPreflight.Planned planned = preflight.plan(rewritten, tables);
    if (planned.problem().isPresent()) {
      SqlProblem p = original(planned.problem().get(), rewritten, sql.text());
      DiagnosticCode code = switch (p.kind()) {
        case SYNTAX -> DiagnosticCode.SQL_SYNTAX;
        case INVALID -> DiagnosticCode.SQL_INVALID;
        case UNSUPPORTED -> DiagnosticCode.SQL_UNSUPPORTED;
      };
      List<String> sourceColumns = def.sources().values().stream()
          .flatMap(src -> src.columns().stream().map(c -> c.name())).distinct().toList();
      SqlProblem explained = new SqlProblem(p.kind(), p.line(), p.column(), withColumnHint(p.message(), sourceColumns));
      return SqlChecked.problems(List.of(Diagnostic.error(origin.displayPath(), origin.map(p.line(), p.column()),
          code, featuresField(doc), located(explained, origin))));
    }
    PlannedQuery query = planned.query().orElseThrow();
    Schema output = query.schema();
    List<Diagnostic> out = new java.util.ArrayList<>(FeatureOutputChecks.check(def, doc, output));
    out.addAll(PersonalDataChecks.check(def, featuresField(doc), query.lineage()));
    Schema scored = withIntegers(output, MethodSyntaxes.integerColumns(def.segmentation()));
    for (MethodSyntax.Condition condition : MethodSyntaxes.conditions(def.segmentation())) {
      checkCondition(condition, scored, literals).ifPresent(out::add);
    }
    return new SqlChecked(out, Optional.of(query));
  }

  /** The features' schema with the INTEGER columns a method adds before its conditions, where it lacks them. */
  private static Schema withIntegers(Schema features, List<String> added) {
    Schema.Builder b = Schema.builder().addFields(features.getFields());
    added.stream().filter(c -> !features.hasField(c)).forEach(c -> b.addInt32Field(c));
    return b.build();
  }

  /** A problem Beam SQL found in rewritten SQL, at the analyst's position and in the analyst's words. */
  private static SqlProblem original(SqlProblem p, RewrittenSql rewritten, String original) {
    int[] at = rewritten.originalLineColumn(original, p.line(), p.column());
    return new SqlProblem(p.kind(), at[0], at[1], rewritten.inAnalystTerms(p.message()));
  }

  private static Diagnostic rewriteProblem(SqlRewriter.Problem p, SqlText sql, String field, DiagnosticCode code) {
    int[] at = RewrittenSql.lineColumn(sql.text(), p.offset);
    SqlProblem problem = new SqlProblem(SqlProblem.Kind.INVALID, at[0], at[1], p.getMessage());
    return Diagnostic.error(sql.origin().displayPath(), sql.origin().map(at[0], at[1]), code, field,
        located(problem, sql.origin()));
  }

  private Optional<Diagnostic> checkCondition(MethodSyntax.Condition condition, Schema features,
      Map<String, String> literals) {
    String field = condition.field();
    SqlText when = condition.sql();
    RewrittenSql rewritten;
    try {
      rewritten = SegflowSql.rewrite(when.text(), literals);
    } catch (SqlRewriter.Problem p) {
      return Optional.of(rewriteProblem(p, when, field, DiagnosticCode.RULE_INVALID));
    }
    return preflight.checkPredicate(rewritten, features).map(found -> {
      SqlProblem p = original(found, rewritten, when.text());
      DiagnosticCode code = p.kind() == SqlProblem.Kind.SYNTAX ? DiagnosticCode.RULE_SYNTAX
          : p.message().startsWith("Expected a boolean type") ? DiagnosticCode.RULE_NOT_BOOLEAN
          : DiagnosticCode.RULE_INVALID;
      String message = code == DiagnosticCode.RULE_NOT_BOOLEAN
          ? "the condition must be true or false for each entity (a comparison such as frequency >= 10), not a value"
          : code == DiagnosticCode.RULE_INVALID && p.message().contains("not found in any table")
              ? withColumnHint(p.message(), features.getFieldNames())
                  .replace("not found in any table", "is not a column of the features query")
                  + "; rules may use: " + String.join(", ", features.getFieldNames())
              : p.message();
      SqlOrigin origin = when.origin();
      return Diagnostic.error(origin.displayPath(), origin.map(p.line(), p.column()), code, field,
          located(new SqlProblem(p.kind(), p.line(), p.column(), message), origin));
    });
  }

  private static final java.util.regex.Pattern UNKNOWN_COLUMN =
      java.util.regex.Pattern.compile("^Column '([^']+)' not found in any table$");

  /** Calcite suggests only names that differ in case; suggest near misses too. */
  private static String withColumnHint(String message, List<String> columns) {
    java.util.regex.Matcher m = UNKNOWN_COLUMN.matcher(message);
    return m.matches() ? message + FeatureOutputChecks.suggestion(m.group(1), columns) : message;
  }

  /** Where positions inside joined YAML text are unknown, say where in the SQL the problem is. */
  private static String located(SqlProblem p, SqlOrigin origin) {
    return origin.exact() ? p.message() : p.message() + " (at line " + p.line() + ", column " + p.column()
        + " of the SQL; write it as a literal block, sql: |, for exact positions)";
  }

  private static String featuresField(YamlDocument doc) {
    return doc.locate(List.of("features", "sql_file")).complete() ? "features.sql_file" : "features.sql";
  }
}

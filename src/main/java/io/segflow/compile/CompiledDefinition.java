package io.segflow.compile;

import io.segflow.dsl.model.OutputSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.dsl.validate.ParameterValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * A definition as a run executes it: its parameters resolved once (defaults and the run's overrides), as
 * values and as SQL literals, and its features query planned once with them. {@link DefinitionValidator}
 * makes it while it checks the SQL, so what validated is what runs.
 *
 * @param parameters every parameter's canonical value
 * @param literals every parameter's value as a SQL literal, for the SQL in the method's options
 */
public record CompiledDefinition(SegmentDefinition definition, Map<String, String> parameters,
    Map<String, String> literals, PlannedQuery features) {
  public CompiledDefinition {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // in declaration order
    literals = Map.copyOf(literals);
  }

  /**
   * Compiles a definition that is already known to be valid (a test's fixture, say), with its defaults.
   *
   * @throws IllegalArgumentException where a parameter or the features query does not compile
   */
  public static CompiledDefinition of(SegmentDefinition def) {
    return of(def, Map.of());
  }

  /** As {@link #of(SegmentDefinition)}, with values for some of its parameters. */
  public static CompiledDefinition of(SegmentDefinition def, Map<String, String> parameterOverrides) {
    Map<String, String> values = ParameterValues.resolve(def.parameters(), parameterOverrides);
    Map<String, String> literals = SqlParameters.literals(def.parameters(), values);
    RewrittenSql sql = SegflowSql.rewrite(def.features().sql().text(), literals);
    try {
      return new CompiledDefinition(def, values, literals, PlannedQuery.plan(sql, tables(def)));
    } catch (RuntimeException | AssertionError e) {
      SqlProblem p = SqlProblem.of(e, sql.text());
      throw new IllegalArgumentException(def.name() + ": the features query does not plan at line " + p.line()
          + ", column " + p.column() + ": " + p.message(), e);
    }
  }

  /** The same, publishing under other output settings (they do not touch the plan). */
  public CompiledDefinition withOutput(OutputSpec output) {
    return new CompiledDefinition(definition.withOutput(output), parameters, literals, features);
  }

  /** The tables the features query reads: each source under its name, with its declared columns. */
  static Map<String, Schema> tables(SegmentDefinition def) {
    Map<String, Schema> tables = new LinkedHashMap<>();
    for (SourceSpec source : def.sources().values()) {
      tables.put(source.name(), BeamSchemas.of(source.columns()));
    }
    return tables;
  }
}

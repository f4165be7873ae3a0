package io.segflow.testing;

import io.segflow.compile.BeamSchemas;
import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.OutputSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.pipeline.RunContext;
import io.segflow.pipeline.SegflowPipeline;
import io.segflow.pipeline.SegflowRun;
import io.segflow.transforms.io.SourceIO;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;

/**
 * Tests a definition in isolation, as Scio's JobTest tests a job: its real validation, compiler and
 * pipeline, with in-memory rows bound to its logical sources instead of an environment.
 *
 * <pre>{@code
 * SegflowPipeline.Graph g = DefinitionTest.of(Path.of("segment-definitions/online_retail_rfm_rules.yaml"))
 *     .input("retail_transactions", List.of(
 *         Map.of("InvoiceNo", "536365", "Quantity", 6L, "InvoiceDate", Instant.parse("2011-12-01T08:26:00Z"),
 *                "UnitPrice", 2.55, "CustomerID", 17850.0)))
 *     .build(testPipeline, outputFolder);
 * PAssert.that(g.members())...;
 * testPipeline.run();
 * }</pre>
 *
 * Or end to end, as {@code segflow run} runs it, to assert what its checks refuse and what it publishes:
 *
 * <pre>{@code
 * SegflowRun.Outcome outcome = DefinitionTest.of(definition).input("retail_transactions", rows).run(folder);
 * outcome.report().members();  // then query folder/warehouse.duckdb
 * }</pre>
 *
 * Values are given by column name (columns left out are NULL) and must have the Java type of the
 * declared column (String, Long, Double, BigDecimal, Boolean, java.time.LocalDate, org.joda.time.Instant).
 */
public final class DefinitionTest {
  private final Path file;
  private final Map<String, List<Map<String, Object>>> inputs;

  private DefinitionTest(Path file, Map<String, List<Map<String, Object>>> inputs) {
    this.file = file;
    this.inputs = inputs;
  }

  public static DefinitionTest of(Path definition) {
    return new DefinitionTest(definition, new LinkedHashMap<>());
  }

  /** Rows for one logical source, each a map of column name to value. */
  public DefinitionTest input(String source, List<Map<String, Object>> rows) {
    Map<String, List<Map<String, Object>>> next = new LinkedHashMap<>(inputs);
    next.put(source, List.copyOf(rows));
    return new DefinitionTest(file, next);
  }

  /** Validates the definition and builds its pipeline on {@code p}, writing its files under {@code outputs}. */
  public SegflowPipeline.Graph build(Pipeline p, Path outputs) {
    return SegflowPipeline.build(p, validated(), (pipeline, source) -> rows(pipeline, source),
        new RunContext("test", Instant.EPOCH, outputs));
  }

  /** The definition, valid on its own, with exactly the test's inputs for its sources. */
  private CompiledDefinition validated() {
    DefinitionLoader.Loaded loaded = DefinitionLoader.load(file, file.toString());
    DefinitionValidator.Checked checked = new DefinitionValidator().check(loaded, Optional.empty());
    List<String> errors = checked.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::render).toList();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("the definition is not valid:\n" + String.join("\n", errors));
    }
    CompiledDefinition compiled = checked.compiled().orElseThrow();
    SegmentDefinition def = compiled.definition();
    TreeSet<String> declared = new TreeSet<>(def.sources().keySet());
    TreeSet<String> given = new TreeSet<>(inputs.keySet());
    for (String source : declared) {
      if (!given.contains(source)) {
        throw new IllegalArgumentException("Missing test input: " + source + ", available: " + given);
      }
    }
    for (String source : given) {
      if (!declared.contains(source)) {
        throw new IllegalArgumentException("Unmatched test input: " + source + ", the definition's sources: " + declared);
      }
    }
    return compiled;
  }

  /**
   * Runs the definition as {@code segflow run} does, on the DirectRunner, with these rows for its sources:
   * the pipeline, then the accounting and {@code output.min_segment_size} checks, then publishing into
   * {@code outputs/warehouse.duckdb} (files in {@code outputs/<name>/test/}). A run those checks refuse
   * throws {@link SegflowRun.Failure} with the reason, and publishes nothing. Test rows are a handful, so a
   * definition that leaves {@code min_segment_size} to its protective default (100) is tested with 1; one
   * that declares it is held to it.
   */
  public SegflowRun.Outcome run(Path outputs) throws SegflowRun.Failure {
    CompiledDefinition declared = validated();
    OutputSpec output = declared.definition().output();
    CompiledDefinition def = output.minSegmentSizeDeclared() ? declared
        : declared.withOutput(new OutputSpec(1, false, output.suppressExtremesBelow()));
    Environment env = new Environment(outputs, outputs.toString(), "definition-test", Runner.DIRECT, Map.of(),
        new OutputBinding.Files(outputs, outputs.resolve("warehouse.duckdb")), Optional.empty(), Optional.empty());
    SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(def, env, Runner.DIRECT, Optional.of("test"), "[local]"), (pipeline, source) -> rows(pipeline, source), step -> {});
    return run.finish(run.launch());
  }

  private SourceIO.Result rows(Pipeline p, SourceSpec source) {
    Schema schema = BeamSchemas.of(source.columns());
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> values : inputs.get(source.name())) {
      for (String column : values.keySet()) {
        if (!schema.hasField(column)) {
          throw new IllegalArgumentException("test input " + source.name() + " has column '" + column
              + "', which the definition does not declare: " + schema.getFieldNames());
        }
      }
      Row.Builder row = Row.withSchema(schema);
      for (Schema.Field field : schema.getFields()) {
        row.addValue(values.get(field.getName()));
      }
      rows.add(row.build());
    }
    return SourceIO.Result.counted(source.name(),
        p.apply("Input[" + source.name() + "]", Create.of(rows).withRowSchema(schema)));
  }
}

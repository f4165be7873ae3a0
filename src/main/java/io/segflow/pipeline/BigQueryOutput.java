package io.segflow.pipeline;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes a run's members, segments, rejects and model to BigQuery staging tables, one per output table and
 * run, with file loads and WRITE_TRUNCATE: a retried or repeated run leaves exactly one copy, and nothing
 * a marketer reads changes until {@link BigQueryWarehouse#publish} moves the run in, in one transaction.
 * File loads are what a Dataflow user picks for batch: load jobs are free, atomic per table, and need no
 * streaming quota; the Storage Write API pays off for streams and very large appends.
 */
final class BigQueryOutput {
  private BigQueryOutput() {}

  static void write(String dataset, String definition, RunContext run, List<BigQueryTables.OutputTable> tables,
      PCollection<Row> members, PCollection<Row> segments, PCollection<Row> rejects,
      Optional<PCollection<String>> model, Optional<BigQueryServices> testServices) {
    for (BigQueryTables.OutputTable table : tables) {
      TableReference staging = table.staging(dataset, definition, run.runId());
      PCollection<TableRow> rows = switch (table.suffix()) {
        case "members" -> members.apply("BigQuery[members]/Rows", ParDo.of(new ToTableRowFn(table.schema(), run)));
        case "segments" -> segments.apply("BigQuery[segments]/Rows", ParDo.of(new ToTableRowFn(table.schema(), run)));
        case "rejects" -> rejects.apply("BigQuery[rejects]/Rows", ParDo.of(new ToTableRowFn(table.schema(), run)));
        case "model" -> model.orElseThrow().apply("BigQuery[model]/Rows", MapElements.into(TypeDescriptor.of(TableRow.class))
            .via(new ModelRow(run.runId(), run.runTime().toString())));
        default -> throw new IllegalStateException(table.suffix());
      };
      BigQueryIO.Write<TableRow> write = BigQueryIO.writeTableRows()
          .to(staging)
          .withSchema(table.schema())
          .withMethod(BigQueryIO.Write.Method.FILE_LOADS)
          // Created empty, with an expiration, before the pipeline (BigQueryWarehouse.prepare): appending
          // keeps that expiration, which a truncating load may drop with the table's other metadata.
          .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_NEVER)
          .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
          .withTableDescription(table.description())
          // The dataset and tables were checked and created before the pipeline (BigQueryWarehouse.prepare);
          // Beam's own check would only repeat the lookup while the graph is built.
          .withoutValidation();
      if (testServices.isPresent()) {
        write = write.withTestServices(testServices.get());
      }
      rows.setCoder(TableRowJsonCoder.of()).apply("BigQuery[" + table.suffix() + "]/Load", write);
    }
  }

  /** A Beam row as a BigQuery row of the table's schema; run_id and run_time come from the run. */
  static final class ToTableRowFn extends DoFn<Row, TableRow> {
    private final List<String> names;
    private final List<String> types;
    private final String runId;
    private final String runTime;

    ToTableRowFn(TableSchema schema, RunContext run) {
      this.names = schema.getFields().stream().map(TableFieldSchema::getName).toList();
      this.types = schema.getFields().stream().map(TableFieldSchema::getType).toList();
      this.runId = run.runId();
      this.runTime = run.runTime().toString();
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<TableRow> out) {
      TableRow t = new TableRow();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        Object v = name.equals("run_id") ? runId : name.equals("run_time") ? runTime
            : row.getSchema().hasField(name) ? row.getValue(name) : null;
        Object json = json(v, types.get(i));
        if (json != null) {
          t.set(name, json);
        }
      }
      out.output(t);
    }

    /** Values as BigQuery's JSON load format takes them; a non-finite FLOAT64 is NULL. */
    private static Object json(Object v, String type) {
      if (v == null) {
        return null;
      }
      if (v instanceof Double d) {
        return Double.isFinite(d) ? d : null;
      }
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return type.equals("INTEGER") ? ((Number) v).longValue() : v;
      }
      if (v instanceof BigDecimal || v instanceof org.joda.time.ReadableInstant || v instanceof java.time.LocalDate) {
        return v.toString();
      }
      return v;
    }
  }

  /** The model table's row ({@link OutputTables#modelRow}); NULL figures are left out. */
  record ModelRow(String runId, String runTime) implements SerializableFunction<String, TableRow> {
    @Override
    public TableRow apply(String m) {
      TableRow t = new TableRow();
      OutputTables.modelRow(m, runId, runTime).forEach((column, value) -> {
        if (value != null) {
          t.set(column, value);
        }
      });
      return t;
    }
  }
}

package io.segflow.pipeline;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.env.OutputBinding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import io.segflow.transforms.io.BigQuerySourceIO;
import io.segflow.transforms.io.SourceIO;
import io.segflow.transforms.stream.LatestRunSegments;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;

/**
 * A live stream's changes and rejects appended to BigQuery as they are made: {@code <name>_stream_changes}
 * and the run catalogue's {@code <name>_rejects}, each row with the stream's id and start as its run. A
 * stream has no end to publish at, so the rows go straight to the tables, through the Storage Write API at
 * least once: a retried append can repeat a row, which its entity, run and sequence identify. The tables are
 * created with their schema and descriptions when missing.
 */
final class BigQueryStreamOutput {
  private BigQueryStreamOutput() {}

  /**
   * Refuses a stream whose output dataset does not exist (SF410 at {@code output.dataset}) or cannot be
   * looked up: BigQueryIO's own check would say so in terms of its API once the pipeline runs.
   */
  static void checkDataset(Environment env, OutputBinding.BigQuery out, Optional<BigQueryServices> services,
      PipelineOptions options) throws StreamRun.Refused {
    TableReference dataset = BigQueryTables.ref(out.dataset(), "");
    try (BigQueryServices.DatasetService datasets = datasets(services, options)) {
      datasets.getDataset(dataset.getProjectId(), dataset.getDatasetId());
    } catch (Exception e) {
      if (notFound(e)) {
        throw new StreamRun.Refused("the stream's BigQuery dataset does not exist", List.of(Diagnostic.error(
            env.displayPath(), EnvironmentLoader.positionOf(env, List.of("output", "dataset")),
            DiagnosticCode.OUTPUT_DATASET_NOT_FOUND, "output.dataset", "dataset " + out.dataset() + " does not exist: "
                + "create it (bq mk --dataset), or name one that exists")));
      }
      throw new StreamRun.Refused("cannot look up BigQuery dataset " + out.dataset() + ", where the stream writes: "
          + deepest(e), List.of());
    }
  }

  /**
   * Creates {@code <name>_stream_changes} when it is missing (the appends would at their first row) and the
   * view {@code <name>_stream_segments} of each entity's current streamed segment, which BigQuery makes only
   * over a table that exists. A view that exists is left as it is.
   */
  static void prepareTables(OutputBinding.BigQuery out, String definition, String streamId,
      org.apache.beam.sdk.schemas.Schema changes, Optional<BigQueryServices> services, PipelineOptions options)
      throws StreamRun.Refused {
    BigQueryTables.OutputTable table = BigQueryTables.of(OutputTables.streamChanges(definition, changes));
    TableReference changesRef = table.reference(out.dataset(), definition);
    TableReference viewRef = BigQueryTables.ref(out.dataset(), definition + "_stream_segments");
    try (BigQueryServices.DatasetService datasets = datasets(services, options)) {
      if (datasets.getTable(changesRef) == null) {
        datasets.createTable(table.table(changesRef, definition, streamId));
      }
      if (datasets.getTable(viewRef) == null) {
        datasets.createTable(new com.google.api.services.bigquery.model.Table().setTableReference(viewRef)
            .setDescription("Each entity's current segment by the streams of " + definition + ": the to_segment of"
                + " its change with the highest sequence in the latest stream that changed it.")
            .setView(new com.google.api.services.bigquery.model.ViewDefinition().setUseLegacySql(false)
                .setQuery(WarehouseSql.streamSegments(WarehouseSql.Dialect.BIGQUERY, out.dataset(), definition,
                    changes.getField(0).getName()))));
      }
    } catch (Exception e) {
      throw new StreamRun.Refused("cannot create the stream's tables in BigQuery dataset " + out.dataset() + ": "
          + deepest(e), List.of());
    }
  }

  /**
   * Each entity's segment in the latest run published into the stream's dataset, read from
   * {@code <name>_members} as the stream starts (a live stream's first changes start from it, as from the
   * DuckDB warehouse's); empty when the definition has no published run there. Read by export: an extract
   * job costs nothing, once per stream, and Beam's test doubles answer it.
   *
   * @param rejects where rows of the table that do not fit their columns go
   */
  static Optional<PCollectionView<Map<String, String>>> publishedSegments(Pipeline p, OutputBinding.BigQuery out,
      String definition, Schema.Field entity, Optional<BigQueryServices> services, List<PCollection<Row>> rejects)
      throws StreamRun.Refused {
    TableReference members = BigQueryTables.ref(out.dataset(), definition + "_members");
    try (BigQueryServices.DatasetService datasets = datasets(services, p.getOptions())) {
      if (datasets.getTable(members) == null) {
        return Optional.empty();
      }
    } catch (Exception e) {
      throw new StreamRun.Refused("cannot look up " + out.dataset() + "." + definition + "_members, the published "
          + "segments the stream starts from: " + deepest(e), List.of());
    }
    Schema columns = Schema.builder().addField(entity.withNullable(true))
        .addNullableField("segment_label", Schema.FieldType.STRING)
        .addNullableField("run_time", Schema.FieldType.DATETIME).build();
    BigQuerySourceIO.Read read = BigQuerySourceIO.read(definition + "_members", columns)
        .fromTable(members.getProjectId() + "." + members.getDatasetId() + "." + members.getTableId())
        .withMethod(BigQuerySourceIO.Method.EXPORT).withoutValidation();
    SourceIO.Result published = p.apply("PublishedMembers", services.map(read::withTestServices).orElse(read));
    rejects.add(published.rejects());
    return Optional.of(published.rows().apply("PublishedSegments",
        LatestRunSegments.of(entity.getName(), "segment_label", "run_time")));
  }

  /** The dataset service of the stream's checks and reads: the test's doubles, or BigQuery's. */
  private static BigQueryServices.DatasetService datasets(Optional<BigQueryServices> services,
      PipelineOptions options) {
    return services.orElseGet(BigQueryServicesImpl::new).getDatasetService(options.as(BigQueryOptions.class));
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GoogleJsonResponseException json && json.getStatusCode() == NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message: what BigQuery (or a fake of it) said, under the wrappers. */
  private static String deepest(Throwable e) {
    String message = String.valueOf(e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      message = t.getMessage() != null ? t.getMessage() : message;
    }
    return message;
  }

  private static final int NOT_FOUND = 404;

  /** The tables' names in {@code dataset}, as the command reports them. */
  static String tables(String dataset, String definition) {
    return dataset + "." + definition + "_stream_changes, " + dataset + "." + definition + "_rejects, and the view "
        + dataset + "." + definition + "_stream_segments";
  }

  static void write(String dataset, String definition, String streamId, Instant started, PCollection<Row> changes,
      PCollection<Row> rejects, Optional<BigQueryServices> testServices) {
    RunContext stream = new RunContext(streamId, started, Path.of(""));
    append(BigQueryTables.of(OutputTables.streamChanges(definition, changes.getSchema())), dataset, definition,
        stream, changes, testServices);
    append(BigQueryTables.of(OutputTables.rejects(definition, rejects.getSchema())), dataset, definition, stream,
        rejects, testServices);
  }

  private static void append(BigQueryTables.OutputTable table, String dataset, String definition, RunContext stream,
      PCollection<Row> rows, Optional<BigQueryServices> testServices) {
    String step = "BigQuery[" + table.suffix() + "]";
    BigQueryIO.Write<TableRow> write = BigQueryIO.writeTableRows()
        .to(table.reference(dataset, definition))
        .withSchema(table.schema())
        .withTableDescription(table.description())
        .withMethod(BigQueryIO.Write.Method.STORAGE_API_AT_LEAST_ONCE)
        .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
        // checkDataset looked the dataset up before the stream started; Beam's check would repeat it.
        .withoutValidation();
    if (!table.clusteredBy().isEmpty()) {
      write = write.withClustering(new Clustering().setFields(table.clusteredBy()));
    }
    if (testServices.isPresent()) {
      write = write.withTestServices(testServices.get());
    }
    rows.apply(step + "/Rows", ParDo.of(new BigQueryOutput.ToTableRowFn(table.schema(), stream)))
        .setCoder(TableRowJsonCoder.of())
        .apply(step + "/Append", write);
  }
}

package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a run's results go and how they are published: files in the run's folder and a DuckDB warehouse,
 * or BigQuery staging tables and a BigQuery dataset. The lifecycle ({@link SegflowRun}) calls the same
 * steps whichever it is.
 */
sealed interface RunDestination {
  /** The folder, beside a definition's published runs, where runs are written until they are published. */
  String UNPUBLISHED = ".unpublished";

  static RunDestination of(SegmentDefinition def, Environment env, String runId) {
    if (env.output() instanceof OutputBinding.Files files) {
      Path definition = files.path().resolve(def.name());
      return new FilesAndDuckDb(def, files, definition.resolve(runId), definition.resolve(UNPUBLISHED).resolve(runId));
    }
    return new BigQuery(def, env);
  }

  SegmentDefinition def();

  /** The folder the pipeline writes the run's files to; empty for a destination that takes no files. */
  Optional<Path> files();

  /** Where the run's files are once published; empty for a destination that takes no files. */
  Optional<Path> publishedFiles();

  /** Before the pipeline runs: an empty folder for the run's files, or the output tables created. */
  void prepare(SegflowPipeline.Graph graph, String runId, PipelineOptions options) throws Exception;

  /** The published run a new run follows, read back from the warehouse; empty when it has none. */
  Optional<PublishedRun> published(PublishedRun.Wanted wanted) throws Exception;

  /** Keeps the report of a run that will not be published, where the destination can keep one. */
  Optional<Path> keepUnpublished(RunReport report, Map<String, Object> header) throws IOException;

  /**
   * After a pipeline that failed: removes what it wrote where the destination can (partial files that no
   * later run reads), and says where anything is left; nothing of the run was published.
   */
  String discardFailed() throws IOException;

  /** Publishes a finished run: after this, the warehouse's views show it. */
  void publish(SegflowPipeline.Graph graph, RunPublication run) throws Exception;

  /**
   * Per segment of the published run {@code previousRunId}, how many of its members the finished, not yet
   * published run {@code runId} keeps in it.
   */
  Map<Integer, Long> stayed(SegflowPipeline.Graph graph, String runId, String previousRunId) throws Exception;

  /** For messages: where the published results are (a DuckDB file, a dataset). */
  String location();

  /** For messages: where the published results are, and the tables and views they are in. */
  default String describe() {
    return location() + " (" + String.join(", ", DuckDbWarehouse.objects(def().name())) + ")";
  }

  /** What the lifecycle knows of a finished run when it publishes it. */
  record RunPublication(String runId, Instant runTime, RunReport report, Map<String, Object> header) {}

  /**
   * Files (CSV, Parquet, JSON) written to {@code <output>/<definition>/.unpublished/<run id>/}, published
   * into a DuckDB file and then moved to {@code <output>/<definition>/<run id>/}: a run that fails or is
   * refused leaves the published runs' files (a rerun's too) and the warehouse as they were.
   */
  record FilesAndDuckDb(SegmentDefinition def, OutputBinding.Files output, Path folder, Path staging)
      implements RunDestination {
    @Override
    public Optional<Path> files() {
      return Optional.of(staging);
    }

    @Override
    public Optional<Path> publishedFiles() {
      return Optional.of(folder);
    }

    @Override
    public void prepare(SegflowPipeline.Graph graph, String runId, PipelineOptions options) throws IOException {
      deleteTree(staging); // an earlier unpublished attempt of the same run id
      Files.createDirectories(staging);
    }

    @Override
    public Optional<PublishedRun> published(PublishedRun.Wanted wanted) throws IOException, java.sql.SQLException {
      return DuckDbWarehouse.published(output.warehouse(), def.name(), wanted);
    }

    @Override
    public Optional<Path> keepUnpublished(RunReport report, Map<String, Object> header) throws IOException {
      report.write(staging.resolve("run.json"), header);
      return Optional.of(staging);
    }

    @Override
    public String discardFailed() throws IOException {
      deleteTree(staging);
      return "its partial files were removed";
    }

    /**
     * The warehouse first, in one transaction (what marketers read), then the files, by renames within one
     * folder: the run's previous files (a rerun) aside, the new ones in, the previous ones deleted.
     */
    @Override
    public void publish(SegflowPipeline.Graph graph, RunPublication run) throws IOException, java.sql.SQLException {
      run.report().write(staging.resolve("run.json"), run.header());
      DuckDbWarehouse.publish(output.warehouse(), def.name(), def.entity(), staging, run.report(),
          graph.catalogue());
      Path replaced = staging.resolveSibling(staging.getFileName() + ".replaced");
      deleteTree(replaced);
      if (Files.exists(folder)) {
        Files.move(folder, replaced, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, folder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      deleteTree(replaced);
    }

    @Override
    public Map<Integer, Long> stayed(SegflowPipeline.Graph graph, String runId, String previousRunId)
        throws java.sql.SQLException, IOException {
      return DuckDbWarehouse.stayed(output.warehouse(), def.name(), def.entity(), previousRunId,
          staging, graph.table("members"));
    }

    @Override
    public String location() {
      return output.warehouse().toString();
    }

    private static void deleteTree(Path root) throws IOException {
      if (!Files.exists(root)) {
        return;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** Staging tables written by the pipeline, published into the dataset's tables in one transaction. */
  record BigQuery(SegmentDefinition def, Environment env) implements RunDestination {
    @Override
    public Optional<Path> files() {
      return Optional.empty();
    }

    @Override
    public Optional<Path> publishedFiles() {
      return Optional.empty();
    }

    @Override
    public void prepare(SegflowPipeline.Graph graph, String runId, PipelineOptions options) throws Exception {
      BigQueryRun.prepare(graph, def, env, runId, options);
    }

    @Override
    public Optional<PublishedRun> published(PublishedRun.Wanted wanted) throws InterruptedException {
      return BigQueryRun.published(def, env, wanted);
    }

    @Override
    public Optional<Path> keepUnpublished(RunReport report, Map<String, Object> header) {
      return Optional.empty(); // its report lives in <name>_runs, which only a published run enters
    }

    @Override
    public String discardFailed() {
      return "its staging tables expire after " + BigQueryWarehouse.STAGING_LIFETIME.toDays() + " days";
    }

    @Override
    public void publish(SegflowPipeline.Graph graph, RunPublication run) throws Exception {
      BigQueryRun.publish(graph, def, env, run.runId(), run.runTime(), run.report(),
          run.report().toJsonTree(run.header()));
    }

    @Override
    public Map<Integer, Long> stayed(SegflowPipeline.Graph graph, String runId, String previousRunId)
        throws InterruptedException {
      return BigQueryRun.stayed(graph, def, env, runId, previousRunId);
    }

    @Override
    public String location() {
      return ((OutputBinding.BigQuery) env.output()).dataset();
    }

  }
}

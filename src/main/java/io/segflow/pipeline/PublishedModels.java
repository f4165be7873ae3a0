package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.transforms.stream.PolledView;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a k-means stream finds its definition's latest published model, from the launcher or a worker:
 * the environment's DuckDB file or BigQuery dataset. Serializable, so a running stream polls it.
 */
sealed interface PublishedModels extends PolledView.Poll<StreamModel> {
  /** Published run ids are never this, so the latest run is wanted whatever its id. */
  String STREAM = "(stream)";

  /** @param columns the features the stream computes, which a model must read no more than */
  static PublishedModels of(SegmentDefinition def, Environment env, List<String> columns) {
    if (env.output() instanceof OutputBinding.BigQuery bq) {
      return new InBigQuery(env.gcp().orElseThrow(() -> new IllegalArgumentException(
          "environment " + env.name() + " publishes into BigQuery but names no gcp: project")).project(),
          bq.location().orElse(null), bq.dataset(), def.name(), columns);
    }
    return new InDuckDb(((OutputBinding.Files) env.output()).warehouse().toAbsolutePath().toString(), def.name(),
        columns);
  }

  /** For messages: where the runs are published. */
  String location();

  /** The features the stream computes. */
  List<String> columns();

  /** The latest published run's model, if there is one. */
  Optional<StreamModel> latest() throws Exception;

  /**
   * The latest model.
   *
   * @throws IllegalStateException when it reads a feature the stream does not compute (the definition
   *     changed since): a stream cannot assign with it
   */
  @Override
  default Optional<StreamModel> current() throws Exception {
    Optional<StreamModel> latest = latest();
    if (latest.isPresent() && !columns().containsAll(latest.get().features())) {
      throw new IllegalStateException("run " + latest.get().runId() + "'s model reads the features "
          + latest.get().features() + ", and the stream computes " + columns() + ": the definition changed since");
    }
    return latest;
  }

  /** Runs published into a DuckDB file by {@code segflow run} with a files output. */
  record InDuckDb(String warehouse, String definition, List<String> columns) implements PublishedModels {
    public InDuckDb {
      columns = List.copyOf(columns);
    }

    @Override
    public Optional<StreamModel> latest() throws Exception {
      return DuckDbWarehouse.published(Path.of(warehouse), definition, PublishedRun.Wanted.latestBefore(STREAM))
          .map(StreamModel::of);
    }

    @Override
    public String location() {
      return warehouse;
    }
  }

  /**
   * Runs published into a BigQuery dataset. The client is built where the poll runs, once per project and
   * location in a JVM: a poll a minute need not set up its transport and credentials again.
   */
  record InBigQuery(String project, String location, String dataset, String definition, List<String> columns)
      implements PublishedModels {
    private static final java.util.Map<List<String>, com.google.cloud.bigquery.BigQuery> CLIENTS =
        new java.util.concurrent.ConcurrentHashMap<>();

    public InBigQuery {
      columns = List.copyOf(columns);
    }

    @Override
    public Optional<StreamModel> latest() throws Exception {
      com.google.cloud.bigquery.BigQuery client = CLIENTS.computeIfAbsent(java.util.Arrays.asList(project, location),
          key -> com.google.cloud.bigquery.BigQueryOptions.newBuilder().setProjectId(project).setLocation(location)
              .build().getService());
      return BigQueryWarehouse.published(client, dataset, definition, PublishedRun.Wanted.latestBefore(STREAM))
          .map(StreamModel::of);
    }

    @Override
    public String location() {
      return "BigQuery dataset " + project + "." + dataset;
    }
  }
}

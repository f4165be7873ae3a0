package io.segflow.pipeline;

import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobStatistics;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.dsl.yaml.YamlDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;

/**
 * Checks, before a run starts, that each BigQuery source has the columns its definition declares, with
 * types that read into them: a table's schema from the dataset service, a query's from a dry run. A
 * missing table, a missing column, a type that does not fit or a refused request is an error at the
 * binding in the environment file, naming the source, the table and the column.
 */
public final class BigQuerySourceChecks {
  /** BigQuery's type names (legacy and GoogleSQL) each declared type reads from without loss. */
  private static final Map<ColumnType, Set<String>> READS_FROM = Map.of(
      ColumnType.STRING, Set.of("STRING"),
      ColumnType.INT64, Set.of("INTEGER", "INT64"),
      ColumnType.FLOAT64, Set.of("FLOAT", "FLOAT64", "INTEGER", "INT64", "NUMERIC"),
      ColumnType.NUMERIC, Set.of("NUMERIC", "BIGNUMERIC", "INTEGER", "INT64"),
      ColumnType.BOOL, Set.of("BOOLEAN", "BOOL"),
      ColumnType.DATE, Set.of("DATE"),
      ColumnType.TIMESTAMP, Set.of("TIMESTAMP"));

  private BigQuerySourceChecks() {}

  public static List<Diagnostic> check(SegmentDefinition def, Environment env, BigQueryServices.DatasetService datasets,
      BigQueryServices.JobService jobs, String project) throws InterruptedException {
    List<Diagnostic> out = new ArrayList<>();
    Optional<YamlDocument> doc = EnvironmentLoader.load(env.file(), env.displayPath()).document();
    for (SourceSpec source : def.sources().values()) {
      if (!(env.sources().get(source.name()) instanceof SourceBinding.BigQuery bq)) {
        continue;
      }
      String key = bq.table().isPresent() ? "table" : "query";
      Position at = doc.map(d -> d.locate(List.of("sources", source.name(), key)).node().start()).orElse(Position.START);
      String field = "sources." + source.name() + "." + key;
      String what = bq.table().map(t -> "table " + t).orElse("the query");
      Map<String, TableFieldSchema> columns;
      try {
        columns = bq.table().isPresent() ? tableColumns(datasets, bq.table().get())
            : queryColumns(jobs, project, bq.query().orElseThrow(), bq.location().orElse(null));
      } catch (IOException e) {
        out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.SOURCE_TABLE_UNREADABLE, field,
            "source " + source.name() + ": " + what + " cannot be read: " + reason(e)));
        continue;
      }
      if (columns == null) {
        out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.SOURCE_TABLE_UNREADABLE, field,
            "source " + source.name() + ": " + what + " does not exist"));
        continue;
      }
      for (Column c : source.columns()) {
        TableFieldSchema f = columns.get(c.name().toLowerCase(Locale.ROOT));
        if (f == null) {
          out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.SOURCE_TABLE_MISMATCH, field,
              "source " + source.name() + ": " + what + " has no column '" + c.name() + "', which "
                  + def.file().getFileName() + " declares (" + what.split(" ")[0] + " columns: "
                  + String.join(", ", columns.values().stream().map(TableFieldSchema::getName).toList()) + ")"));
        } else if (!f.getName().equals(c.name())) {
          // BigQuery matches names in any case, but its rows carry the table's spelling, which is what the
          // read looks up: a declared 'Quantity' would read NULL from every row of 'quantity'.
          out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.SOURCE_TABLE_MISMATCH, field,
              "source " + source.name() + ": " + what + " spells column '" + c.name() + "' as '" + f.getName()
                  + "'; declare it as '" + f.getName() + "' in " + def.file().getFileName()
                  + " (segflow reads columns by their exact name)"));
        } else if ("REPEATED".equals(f.getMode()) || !READS_FROM.get(c.type()).contains(f.getType())) {
          out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.SOURCE_TABLE_MISMATCH, field,
              "source " + source.name() + ": column '" + f.getName() + "' of " + what + " is "
                  + ("REPEATED".equals(f.getMode()) ? "REPEATED " : "") + f.getType() + ", but "
                  + def.file().getFileName() + " declares it " + c.type() + "; declare it as "
                  + declaredFor(f.getType()) + ", or cast it in a query binding"));
        }
      }
    }
    return out;
  }

  private static Map<String, TableFieldSchema> tableColumns(BigQueryServices.DatasetService datasets, String spec)
      throws IOException, InterruptedException {
    String[] parts = spec.split("[.:]");
    Table table = datasets.getTable(new TableReference().setProjectId(parts[0]).setDatasetId(parts[1])
        .setTableId(parts[2]));
    return table == null || table.getSchema() == null ? null : byName(table.getSchema().getFields());
  }

  private static Map<String, TableFieldSchema> queryColumns(BigQueryServices.JobService jobs, String project,
      String query, String location) throws IOException, InterruptedException {
    JobStatistics stats = jobs.dryRunQuery(project, new JobConfigurationQuery().setQuery(query).setUseLegacySql(false),
        location);
    return stats == null || stats.getQuery() == null || stats.getQuery().getSchema() == null ? null
        : byName(stats.getQuery().getSchema().getFields());
  }

  /** By name in lower case: BigQuery matches names in any case, so a near miss in case is found and named. */
  private static Map<String, TableFieldSchema> byName(List<TableFieldSchema> fields) {
    Map<String, TableFieldSchema> out = new LinkedHashMap<>();
    fields.forEach(f -> out.put(f.getName().toLowerCase(Locale.ROOT), f));
    return out;
  }

  private static String declaredFor(String bigQueryType) {
    return switch (bigQueryType) {
      case "INTEGER", "INT64" -> "INT64";
      case "FLOAT", "FLOAT64" -> "FLOAT64";
      case "NUMERIC", "BIGNUMERIC" -> "NUMERIC";
      case "BOOLEAN", "BOOL" -> "BOOL";
      case "DATE", "TIMESTAMP", "STRING" -> bigQueryType;
      default -> "a type segflow reads (" + bigQueryType + " is not one: STRING, INT64, FLOAT64, NUMERIC, BOOL, "
          + "DATE, TIMESTAMP)";
    };
  }

  private static String reason(IOException e) {
    String m = firstLine(e);
    return m.contains("403") || m.toLowerCase(Locale.ROOT).contains("permission")
        ? "permission denied (" + m + "); the account needs BigQuery Data Viewer on it" : m;
  }

  /** The service's answer without the JSON body Google's clients append after the first line. */
  static String firstLine(IOException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }
}

package io.segflow.transforms.io;

import com.google.auto.value.AutoValue;
import com.google.api.services.bigquery.model.TableRow;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reading a logical source from BigQuery: a table through the Storage Read API (only the schema's
 * columns, an optional row filter pushed down) or by export, or a query. Values are typed by the schema
 * exactly as file sources are; a row whose value does not fit goes to the rejects with the source, the
 * table and the reason, and the {@code segflow.source.<name>} counters keep read = rows + rejected.
 *
 * <pre>{@code
 * SourceIO.Result orders = pipeline.apply("Read[orders]", BigQuerySourceIO.read("orders", schema)
 *     .fromTable("acme.sales.orders")
 *     .withRowFilter("order_date >= '2024-01-01'"));
 * }</pre>
 */
public final class BigQuerySourceIO {
  private BigQuerySourceIO() {}

  /** How a table is read. */
  public enum Method {
    DIRECT_READ,
    EXPORT
  }

  public static Read read(String sourceName, Schema schema) {
    return new Read(new AutoValue_BigQuerySourceIO_Spec.Builder().setName(sourceName).setSchema(schema)
        .setMethod(Method.DIRECT_READ).setValidate(true).setPersonalColumns(List.of()).build());
  }

  /** Everything a read needs; immutable. */
  @AutoValue
  abstract static class Spec {
    abstract String name();

    abstract Schema schema();

    abstract @Nullable String table();

    abstract @Nullable String query();

    abstract @Nullable String location();

    abstract @Nullable String rowFilter();

    abstract Method method();

    abstract boolean validate();

    abstract @Nullable BigQueryServices testServices();

    abstract List<String> personalColumns();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setName(String name);

      abstract Builder setSchema(Schema schema);

      abstract Builder setTable(@Nullable String table);

      abstract Builder setQuery(@Nullable String query);

      abstract Builder setLocation(String location);

      abstract Builder setRowFilter(String rowFilter);

      abstract Builder setMethod(Method method);

      abstract Builder setValidate(boolean validate);

      abstract Builder setTestServices(BigQueryServices services);

      abstract Builder setPersonalColumns(List<String> columns);

      abstract Spec build();
    }
  }

  /** The transform; immutable, every {@code withX} returns a new one. */
  public static final class Read extends PTransform<PBegin, SourceIO.Result> {
    private final Spec spec;

    private Read(Spec spec) {
      this.spec = spec;
    }

    private Read with(Spec.Builder changed) {
      return new Read(changed.build());
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("Invalid BigQuerySourceIO.Read: " + message);
      }
    }

    /** {@code project.dataset.table} (or {@code project:dataset.table}). */
    public Read fromTable(String tableSpec) {
      check(tableSpec != null && tableSpec.split("[.:]").length == 3,
          "table must be project.dataset.table, got '" + tableSpec + "'");
      return with(spec.toBuilder().setTable(tableSpec).setQuery(null));
    }

    /** A GoogleSQL query; its result's columns must include the schema's. */
    public Read fromQuery(String sql) {
      check(sql != null && !sql.isBlank(), "query must be a GoogleSQL query, got '" + sql + "'");
      return with(spec.toBuilder().setQuery(sql).setTable(null));
    }

    /** Location the query runs in (EU, europe-west1, ...). */
    public Read withQueryLocation(String queryLocation) {
      return with(spec.toBuilder().setLocation(queryLocation));
    }

    /** A predicate the Storage Read API applies before rows leave BigQuery; tables with DIRECT_READ only. */
    public Read withRowFilter(String predicate) {
      check(predicate != null && !predicate.isBlank(), "row filter must be a predicate, got '" + predicate + "'");
      return with(spec.toBuilder().setRowFilter(predicate));
    }

    /** Default {@link Method#DIRECT_READ}. */
    public Read withMethod(Method readMethod) {
      check(readMethod != null, "method must be given");
      return with(spec.toBuilder().setMethod(readMethod));
    }

    /** Columns holding personal data: a reject keeps the row's other declared fields, never these. */
    public Read withPersonalColumns(java.util.Collection<String> columns) {
      for (String column : columns) {
        check(spec.schema().hasField(column), "personal column '" + column + "' is not a column of the schema");
      }
      return with(spec.toBuilder().setPersonalColumns(List.copyOf(columns)));
    }

    /**
     * No lookup of the table or dataset while the pipeline is built: for callers that checked the source
     * already, and for building a job (a template) where the service cannot be reached.
     */
    public Read withoutValidation() {
      return with(spec.toBuilder().setValidate(false));
    }

    /** Beam's BigQuery test doubles ({@code FakeBigQueryServices}) instead of the service. */
    public Read withTestServices(BigQueryServices services) {
      return with(spec.toBuilder().setTestServices(services));
    }

    @Override
    public SourceIO.Result expand(PBegin input) {
      String table = spec.table();
      String query = spec.query();
      Method method = spec.method();
      Schema schema = spec.schema();
      check(table != null || query != null, "call fromTable or fromQuery");
      check(spec.rowFilter() == null || (table != null && method == Method.DIRECT_READ),
          "a row filter needs fromTable and Method.DIRECT_READ");
      BigQueryIO.TypedRead<TableRow> read = BigQueryIO.readTableRows();
      if (table != null) {
        read = read.from(table)
            .withMethod(method == Method.DIRECT_READ ? BigQueryIO.TypedRead.Method.DIRECT_READ
                : BigQueryIO.TypedRead.Method.EXPORT);
        if (method == Method.DIRECT_READ) {
          read = read.withSelectedFields(schema.getFieldNames());
        }
        if (spec.rowFilter() != null) {
          read = read.withRowRestriction(spec.rowFilter());
        }
      } else {
        read = read.fromQuery(query).usingStandardSql();
        if (spec.location() != null) {
          read = read.withQueryLocation(spec.location());
        }
      }
      if (!spec.validate()) {
        read = read.withoutValidation();
      }
      if (spec.testServices() != null) {
        read = read.withTestServices(spec.testServices()).withoutValidation();
      }
      String origin = table != null ? table : "query";
      PCollectionTuple typed = input.apply("Read", read.withCoder(TableRowJsonCoder.of()))
          .apply("Type", ParDo.of(new TypeRowsFn(spec.name(), origin, schema, spec.personalColumns()))
              .withOutputTags(TypeRowsFn.ROWS, TupleTagList.of(TypeRowsFn.REJECTS)));
      PCollection<Row> rows = typed.get(TypeRowsFn.ROWS).setRowSchema(schema);
      PCollection<Row> rejects = typed.get(TypeRowsFn.REJECTS).setRowSchema(SourceRejects.SCHEMA);
      return new SourceIO.Result(input.getPipeline(), rows, rejects);
    }
  }

  /** BigQuery rows as the schema's typed rows; values arrive as BigQuery's JSON renders them. */
  static final class TypeRowsFn extends DoFn<TableRow, Row> {
    static final TupleTag<Row> ROWS = new TupleTag<>("segflow.bigquery.rows") {}; // explicit ids: PreparePointsFn says why
    static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.bigquery.rejects") {};

    private final String name;
    private final String origin;
    private final Schema schema;
    private final FieldParser parser;
    private final SourceCounters counters;
    private final List<String> personal;

    TypeRowsFn(String name, String origin, Schema schema, List<String> personal) {
      this.name = name;
      this.origin = origin;
      this.schema = schema;
      this.personal = personal;
      // BigQuery renders TIMESTAMP as 2011-12-09 12:50:00 UTC (or ISO with a zone); DATE as ISO.
      this.parser = new FieldParser(null, null, "UTC");
      this.counters = new SourceCounters(name);
    }

    @ProcessElement
    public void process(@Element TableRow row, MultiOutputReceiver out) {
      counters.read.inc();
      Object[] values = new Object[schema.getFieldCount()];
      for (int f = 0; f < values.length; f++) {
        Schema.Field field = schema.getField(f);
        Object value = row.get(field.getName());
        if (value == null) {
          continue; // BigQuery leaves NULL fields out of a row; the table's columns are checked before the run
        }
        if (field.getType().getTypeName() == Schema.TypeName.INT64 && value instanceof Double d && d == Math.rint(d)
            && Math.abs(d) < 0x1p53) {
          values[f] = d.longValue(); // a whole FLOAT64 is read as INT64 without loss
          continue;
        }
        try {
          values[f] = parser.parse(text(value), field);
        } catch (FieldParser.BadValue e) {
          reject(out, row, e.getMessage());
          return;
        }
      }
      counters.rows.inc();
      out.get(ROWS).output(Row.withSchema(schema).attachValues(values));
    }

    @FinishBundle
    public void finishBundle() {
      counters.flush();
    }

    private static String text(Object value) {
      String s = value.toString();
      // 2011-12-09 12:50:00 UTC, as BigQuery's JSON and Avro conversions render a TIMESTAMP.
      return s.endsWith(" UTC") ? s.substring(0, s.length() - 4).replace(' ', 'T') + "Z" : s;
    }

    private void reject(MultiOutputReceiver out, TableRow row, String reason) {
      counters.rejected.inc();
      String record = RejectedRecord.of(schema, personal, f -> {
        Object value = row.get(schema.getField(f).getName());
        return value == null ? null : text(value);
      });
      out.get(REJECTS).output(SourceRejects.of(name, origin, null, record, reason));
    }
  }
}

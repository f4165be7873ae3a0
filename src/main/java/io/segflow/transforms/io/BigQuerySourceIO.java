package io.segflow.transforms.io;

import com.google.api.services.bigquery.model.TableRow;
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
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private BigQuerySourceIO() {}

  /** How a table is read. */
  public enum Method {
    DIRECT_READ,
    EXPORT
  }

  public static Read read(String sourceName, Schema schema) {
    return new Read(sourceName, schema, null, null, null, null, Method.DIRECT_READ, true, null);
  }

  /** The transform; immutable, every {@code withX} returns a new one. */
  public static final class Read extends PTransform<PBegin, SourceIO.Result> {
    private final String name;
    private final Schema schema;
    private final String table;
    private final String query;
    private final String location;
    private final String rowFilter;
    private final Method method;
    private final boolean validate;
    private final BigQueryServices testServices;

    private Read(String name, Schema schema, String table, String query, String location, String rowFilter,
        Method method, boolean validate, BigQueryServices testServices) {
      this.name = name;
      this.schema = schema;
      this.table = table;
      this.query = query;
      this.location = location;
      this.rowFilter = rowFilter;
      this.method = method;
      this.validate = validate;
      this.testServices = testServices;
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
      return new Read(name, schema, tableSpec, null, location, rowFilter, method, validate, testServices);
    }

    /** A GoogleSQL query; its result's columns must include the schema's. */
    public Read fromQuery(String sql) {
      check(sql != null && !sql.isBlank(), "query must be a GoogleSQL query, got '" + sql + "'");
      return new Read(name, schema, null, sql, location, rowFilter, method, validate, testServices);
    }

    /** Location the query runs in (EU, europe-west1, ...). */
    public Read withQueryLocation(String queryLocation) {
      return new Read(name, schema, table, query, queryLocation, rowFilter, method, validate, testServices);
    }

    /** A predicate the Storage Read API applies before rows leave BigQuery; tables with DIRECT_READ only. */
    public Read withRowFilter(String predicate) {
      check(predicate != null && !predicate.isBlank(), "row filter must be a predicate, got '" + predicate + "'");
      return new Read(name, schema, table, query, location, predicate, method, validate, testServices);
    }

    /** Default {@link Method#DIRECT_READ}. */
    public Read withMethod(Method readMethod) {
      check(readMethod != null, "method must be given");
      return new Read(name, schema, table, query, location, rowFilter, readMethod, validate, testServices);
    }

    /**
     * No lookup of the table or dataset while the pipeline is built: for callers that checked the source
     * already, and for building a job (a template) where the service cannot be reached.
     */
    public Read withoutValidation() {
      return new Read(name, schema, table, query, location, rowFilter, method, false, testServices);
    }

    /** Beam's BigQuery test doubles ({@code FakeBigQueryServices}) instead of the service. */
    public Read withTestServices(BigQueryServices services) {
      return new Read(name, schema, table, query, location, rowFilter, method, validate, services);
    }

    @Override
    public SourceIO.Result expand(PBegin input) {
      check(table != null || query != null, "call fromTable or fromQuery");
      check(rowFilter == null || (table != null && method == Method.DIRECT_READ),
          "a row filter needs fromTable and Method.DIRECT_READ");
      BigQueryIO.TypedRead<TableRow> read = BigQueryIO.readTableRows();
      if (table != null) {
        read = read.from(table)
            .withMethod(method == Method.DIRECT_READ ? BigQueryIO.TypedRead.Method.DIRECT_READ
                : BigQueryIO.TypedRead.Method.EXPORT);
        if (method == Method.DIRECT_READ) {
          read = read.withSelectedFields(schema.getFieldNames());
        }
        if (rowFilter != null) {
          read = read.withRowRestriction(rowFilter);
        }
      } else {
        read = read.fromQuery(query).usingStandardSql();
        if (location != null) {
          read = read.withQueryLocation(location);
        }
      }
      if (!validate) {
        read = read.withoutValidation();
      }
      if (testServices != null) {
        read = read.withTestServices(testServices).withoutValidation();
      }
      String origin = table != null ? table : "query";
      PCollectionTuple typed = input.apply("Read", read.withCoder(TableRowJsonCoder.of()))
          .apply("Type", ParDo.of(new TypeRowsFn(name, origin, schema))
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

    TypeRowsFn(String name, String origin, Schema schema) {
      this.name = name;
      this.origin = origin;
      this.schema = schema;
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
      String record;
      try {
        record = JSON.writeValueAsString(row);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        record = String.valueOf(row);
      }
      out.get(REJECTS).output(SourceRejects.of(name, origin, null, record, reason));
    }
  }
}

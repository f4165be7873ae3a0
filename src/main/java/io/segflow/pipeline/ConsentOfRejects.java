package io.segflow.pipeline;

import io.segflow.compile.SegflowSql;
import io.segflow.dsl.model.ConsentSpec;
import io.segflow.transforms.io.RejectedRecord;
import io.segflow.transforms.io.SourceRejects;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The read rejects of a source that names its customers, as the run's rejects, keeping a record's fields
 * only when its customer consents (as {@link ConsentFilter} decides: every row of the consent source says
 * true). A bad row of a customer without consent, or whose customer cannot be read from the record, keeps
 * its source, file, line and reason, so nothing is lost, but none of its values (not even those its reason
 * quotes): consent covers what the rejects show too. The lookup is a Beam SQL LEFT JOIN on the customer's text, as the record kept it.
 */
final class ConsentOfRejects extends PTransform<PCollection<Row>, PCollection<Row>> {
  static final String WITHHELD = " (its record is withheld: its customer has not consented, or cannot be told)";
  private static final String REJECTS_TABLE = "segflow_rejects";
  private static final Schema KEYED = Schema.builder().addFields(SourceRejects.SCHEMA.getFields())
      .addNullableField("segflow_entity", Schema.FieldType.STRING).build();

  private final ConsentSpec consent;
  private final PCollection<Row> consentSource;
  private final Schema sourceSchema;
  private final List<String> personal;
  private final Optional<String> entityColumn;

  /**
   * @param entityColumn the column of the source's schema that holds the customer, as the features' entity
   *     or the consent source's entity traces back to it; empty when that cannot be told, and then every
   *     record is withheld
   */
  ConsentOfRejects(ConsentSpec consent, PCollection<Row> consentSource, Schema sourceSchema, List<String> personal,
      Optional<String> entityColumn) {
    this.consent = consent;
    this.consentSource = consentSource;
    this.sourceSchema = sourceSchema;
    this.personal = List.copyOf(personal);
    this.entityColumn = entityColumn;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rejects) {
    PCollection<Row> keyed = rejects.apply("Entity", ParDo.of(new EntityFn(sourceSchema, personal, entityColumn.orElse(null))))
        .setRowSchema(KEYED);
    String sql = "SELECT r.*, c.segflow_consent FROM " + REJECTS_TABLE + " r LEFT JOIN "
        + ConsentFilter.consentByEntity(consent, "CAST(" + ConsentFilter.quoted(consent.entity()) + " AS VARCHAR)")
        + " c ON r.segflow_entity = c.segflow_entity";
    return PCollectionTuple.of(new TupleTag<>(REJECTS_TABLE), keyed)
        .and(new TupleTag<>(consent.source()), consentSource)
        .apply("Lookup", SegflowSql.transform(sql))
        .apply("Withhold", ParDo.of(new WithholdFn()))
        .setRowSchema(SegflowPipeline.REJECTS);
  }

  /** Each reject with its customer's text as the record kept it, or NULL. */
  private static final class EntityFn extends DoFn<Row, Row> {
    private final Schema schema;
    private final List<String> personal;
    private final @Nullable String entityColumn;

    EntityFn(Schema schema, List<String> personal, @Nullable String entityColumn) {
      this.schema = schema;
      this.personal = personal;
      this.entityColumn = entityColumn;
    }

    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Row> out) {
      Optional<String> entity = entityColumn == null ? Optional.empty()
          : RejectedRecord.field(r.getString("record"), schema, personal, entityColumn);
      out.output(Row.withSchema(KEYED).attachValues(r.getString("source"), r.getString("file"), r.getInt64("line"),
          r.getString("record"), r.getString("reason"), entity.orElse(null)));
    }
  }

  /** A run's read reject, with its record only where its customer consents. */
  private static final class WithholdFn extends DoFn<Row, Row> {
    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Row> out) {
      String reason = r.getString("reason");
      SegflowPipeline.countReason("read", reason);
      Number consents = r.getValue("segflow_consent");
      boolean consenting = consents != null && consents.intValue() == 1;
      out.output(Row.withSchema(SegflowPipeline.REJECTS).attachValues("read", r.getString("source"),
          r.getString("file"), r.getInt64("line"), null,
          consenting ? r.getString("record") : "", consenting ? reason : withoutValues(reason) + WITHHELD));
    }

    /** A reason quotes the text it could not read ({@code amount '2.5x' is not a FLOAT64}); that is withheld too. */
    static String withoutValues(String reason) {
      return reason.replaceAll("(?s)'.*'", "'...'");
    }
  }
}

package io.segflow.pipeline;

import io.segflow.compile.SegflowSql;
import io.segflow.dsl.model.ConsentSpec;
import io.segflow.transforms.metrics.DeferredCounter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The features of the entities that consent, and only those: an entity consents when its every row in the
 * consent source says true; false, NULL, or no row there, and it is left out of everything after this
 * (segmentation, members, profiles, rejects), counted as {@code entities_without_consent}. The lookup is
 * Beam SQL (a GROUP BY on the consent source and a LEFT JOIN), so it runs with segflow's sharded joins.
 */
final class ConsentFilter extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final String FEATURES = "segflow_features";

  private final ConsentSpec consent;
  private final String entity;
  private final PCollection<Row> consentSource;

  ConsentFilter(ConsentSpec consent, String entity, PCollection<Row> consentSource) {
    this.consent = consent;
    this.entity = entity;
    this.consentSource = consentSource;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> features) {
    String sql = "SELECT f.*, c.segflow_consent FROM " + FEATURES + " f LEFT JOIN "
        + consentByEntity(consent, quoted(consent.entity())) + " c ON f." + quoted(entity) + " = c.segflow_entity";
    PCollection<Row> looked = PCollectionTuple.of(new TupleTag<>(FEATURES), features)
        .and(new TupleTag<>(consent.source()), consentSource)
        .apply("Lookup", SegflowSql.transform(sql));
    return looked.apply("Keep", ParDo.of(new KeepConsentingFn(features.getSchema())))
        .setRowSchema(features.getSchema());
  }

  /**
   * The consent rule as a table (segflow_entity, segflow_consent): 1 where every row of the consent source
   * for the entity says true, 0 otherwise; an entity with no row is absent. {@code key} is the entity
   * column as the join needs it (itself, or cast to text).
   */
  static String consentByEntity(ConsentSpec consent, String key) {
    return "(SELECT " + key + " AS segflow_entity, MIN(CASE WHEN " + quoted(consent.column())
        + " THEN 1 ELSE 0 END) AS segflow_consent FROM " + quoted(consent.source()) + " GROUP BY "
        + quoted(consent.entity()) + ")";
  }

  static String quoted(String identifier) {
    return "`" + identifier + "`";
  }

  private static final class KeepConsentingFn extends DoFn<Row, Row> {
    private final Schema features;
    private final DeferredCounter without = DeferredCounter.of(SegflowPipeline.METRICS, "entities_without_consent");

    KeepConsentingFn(Schema features) {
      this.features = features;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      Number consents = row.getValue("segflow_consent");
      if (consents == null || consents.intValue() != 1) {
        without.inc();
        return;
      }
      Object[] values = new Object[features.getFieldCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.getValue(i);
      }
      out.output(Row.withSchema(features).attachValues(values));
    }

    @FinishBundle
    public void finishBundle() {
      without.flush();
    }
  }
}

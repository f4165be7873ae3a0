package io.segflow.transforms.rfm;

import io.segflow.transforms.batching.BundleLists;
import io.segflow.transforms.quality.EntityRejects;
import io.segflow.transforms.values.MultiOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * RFM scores: each of recency, frequency and monetary is scored 1 to {@code bins} by its quantiles over
 * every entity ({@link RfmThresholds}); recency is reversed, so the most recent entities score highest.
 * The scored rows are the input's fields followed by {@code r_score}, {@code f_score} and {@code m_score}
 * (INT32). An entity without a value of a measure (NULL, NaN or infinite) is not scored: it goes to the
 * rejects ({@link EntityRejects}) with the reason. Exact and deterministic (every runner gives the same scores),
 * in memory bounded whatever the number of entities ({@link ExactThresholds}).
 *
 * <pre>{@code
 * RfmScores.Result rfm = features.apply(RfmScores.of("customer_id", "recency_days", "orders", "spend"));
 * }</pre>
 */
public final class RfmScores extends PTransform<PCollection<Row>, RfmScores.Result> {
  /** The output's score fields, for recency, frequency and monetary. */
  public static final List<String> SCORE_FIELDS = List.of("r_score", "f_score", "m_score");

  private static final int MAX_BINS = 100;

  /** Entities sampled to bracket the score bounds ({@link ExactThresholds}): 100,000 (3.2 MB of values). */
  public static final int DEFAULT_SAMPLE_CAPACITY = 100_000;

  private final String entityField;
  private final List<String> measures;
  private final int bins;
  private final int sampleCapacity;

  private RfmScores(String entityField, List<String> measures, int bins, int sampleCapacity) {
    this.entityField = entityField;
    this.measures = measures;
    this.bins = bins;
    this.sampleCapacity = sampleCapacity;
  }

  /** Five scores per measure. */
  public static RfmScores of(String entityField, String recency, String frequency, String monetary) {
    return new RfmScores(entityField, List.of(recency, frequency, monetary), 5, DEFAULT_SAMPLE_CAPACITY);
  }

  /** Scores per measure, 2 to 100. Default 5. */
  public RfmScores withBins(int bins) {
    if (bins < 2 || bins > MAX_BINS) {
      throw new IllegalArgumentException("Invalid RfmScores: bins must be 2 to " + MAX_BINS + ", not " + bins);
    }
    return new RfmScores(entityField, measures, bins, sampleCapacity);
  }

  /**
   * Entities sampled to bracket the bounds, at least 1: the scores are the same whatever it is; a smaller
   * sample holds less and sends more values to the second pass. Default {@link #DEFAULT_SAMPLE_CAPACITY}.
   */
  public RfmScores withSampleCapacity(int capacity) {
    if (capacity < 1 || capacity > 10_000_000) {
      throw new IllegalArgumentException("Invalid RfmScores: the sample capacity must be 1 to 10000000, not " + capacity);
    }
    return new RfmScores(entityField, measures, bins, capacity);
  }

  @Override
  public Result expand(PCollection<Row> input) {
    Schema schema = input.getSchema();
    for (String field : SCORE_FIELDS) {
      if (schema.hasField(field)) {
        throw new IllegalArgumentException("Invalid RfmScores: the input already has a field '" + field
            + "'; rename it in the features");
      }
    }
    int[] fields = measures.stream().mapToInt(schema::indexOf).toArray();
    TupleTag<Row> valid = new TupleTag<>("valid") {};
    TupleTag<Row> rejected = new TupleTag<>("rejected") {};
    PCollectionTuple checked = input.apply("CheckMeasures", ParDo.of(new CheckFn(entityField, measures, fields, valid, rejected))
        .withOutputTags(valid, TupleTagList.of(rejected)));
    PCollection<Row> rows = checked.get(valid).setRowSchema(schema);
    PCollection<Row> rejects = checked.get(rejected).setRowSchema(EntityRejects.SCHEMA);
    PCollection<RfmThresholds> thresholds = rows
        .apply("Thresholds", new ExactThresholds(entityField, measures, bins, sampleCapacity));
    PCollectionView<RfmThresholds> view = thresholds.apply("ThresholdsView", View.asSingleton());
    Schema.Builder scoredSchema = Schema.builder().addFields(schema.getFields());
    SCORE_FIELDS.forEach(scoredSchema::addInt32Field);
    Schema out = scoredSchema.build();
    // The thresholds are made from every row, after the rows reach the scoring (BundleLists says why lists).
    PCollection<Row> scored = BundleLists.forLateSideInput("ToScore", rows)
        .apply("Score", ParDo.of(new ScoreFn(view, fields, out)).withSideInputs(view))
        .setRowSchema(out);
    return new Result(input.getPipeline(), scored, rejects, thresholds);
  }

  /** Rows with a finite value of every measure go on; the others to the rejects, saying which is missing. */
  private static final class CheckFn extends DoFn<Row, Row> {
    private final String entityField;
    private final List<String> measures;
    private final int[] fields;
    private final TupleTag<Row> valid;
    private final TupleTag<Row> rejected;

    CheckFn(String entityField, List<String> measures, int[] fields, TupleTag<Row> valid, TupleTag<Row> rejected) {
      this.entityField = entityField;
      this.measures = measures;
      this.fields = fields;
      this.valid = valid;
      this.rejected = rejected;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      for (int m = 0; m < fields.length; m++) {
        Object value = row.getValue(fields[m]);
        String problem = value == null ? "is NULL"
            : Double.isFinite(((Number) value).doubleValue()) ? null : "is " + value;
        if (problem != null) {
          out.get(rejected).output(EntityRejects.of(row.getValue(entityField),
              measures.get(m) + " " + problem + "; an RFM score needs a value of each measure", row));
          return;
        }
      }
      out.get(valid).output(row);
    }
  }

  /** The input row with its three scores appended. */
  private static final class ScoreFn extends DoFn<Object, Row> {
    private final PCollectionView<RfmThresholds> thresholds;
    private final int[] fields;
    private final Schema schema;

    ScoreFn(PCollectionView<RfmThresholds> thresholds, int[] fields, Schema schema) {
      this.thresholds = thresholds;
      this.fields = fields;
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Object rows, ProcessContext c) {
      RfmThresholds t = c.sideInput(thresholds);
      for (Row row : BundleLists.rowsOf(rows)) {
        List<Object> values = new ArrayList<>(schema.getFieldCount());
        values.addAll(row.getValues());
        for (int m = 0; m < fields.length; m++) {
          values.add(t.score(m, ((Number) row.getValue(fields[m])).doubleValue()));
        }
        // attachValues: the input's values fit its fields as they did, and the scores are INT32.
        c.output(Row.withSchema(schema).attachValues(values));
      }
    }
  }

  /** The scored rows, the rejects, and the thresholds (one element). */
  public static final class Result extends MultiOutput {
    private final PCollection<Row> scored;
    private final PCollection<Row> rejects;
    private final PCollection<RfmThresholds> thresholds;

    Result(Pipeline pipeline, PCollection<Row> scored, PCollection<Row> rejects, PCollection<RfmThresholds> thresholds) {
      super(pipeline);
      this.scored = part("scored", scored);
      this.rejects = part("rejects", rejects);
      this.thresholds = part("thresholds", thresholds);
    }

    public PCollection<Row> scored() {
      return scored;
    }

    public PCollection<Row> rejects() {
      return rejects;
    }

    public PCollection<RfmThresholds> thresholds() {
      return thresholds;
    }
  }
}

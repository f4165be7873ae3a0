package io.segflow.transforms.quality;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Fails the pipeline when a key field's value is on more than one row, naming the value and how many rows
 * have it: one row per key is a contract (one segment per customer), and a second row would make a
 * second member. Counts per key with a lifted combine; the output is the keys that repeat, which is empty
 * whenever the pipeline goes on.
 *
 * <pre>{@code
 * features.apply("UniqueEntities", RequireUniqueKey.of("customer_id", "the features query's output"));
 * }</pre>
 */
public final class RequireUniqueKey extends PTransform<PCollection<Row>, PCollection<KV<String, Long>>> {
  private final String field;
  private final String where;

  private RequireUniqueKey(String field, String where) {
    this.field = field;
    this.where = where;
  }

  /** @param where what holds the rows, for the message ("the features query's output") */
  public static RequireUniqueKey of(String field, String where) {
    return new RequireUniqueKey(field, where);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<Row> rows) {
    String key = field;
    return rows
        .apply("Keys", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via((Row r) -> KV.of(String.valueOf((Object) r.getValue(key)), 1L)))
        .apply("Count", Sum.longsPerKey())
        .apply("Check", ParDo.of(new FailOnRepeatFn(field, where)));
  }

  private static final class FailOnRepeatFn extends DoFn<KV<String, Long>, KV<String, Long>> {
    private final String field;
    private final String where;

    FailOnRepeatFn(String field, String where) {
      this.field = field;
      this.where = where;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> count, OutputReceiver<KV<String, Long>> out) {
      if (count.getValue() > 1) {
        // No cause: the run reports the deepest cause's message, and this is the whole story.
        throw new IllegalStateException(field + " '" + count.getKey() + "' is on " + count.getValue() + " rows of "
            + where + "; each " + field + " must be on one row (GROUP BY " + field + ", or pick one row per "
            + field + ")");
      }
    }
  }
}

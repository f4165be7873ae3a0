package io.segflow.transforms.quality;

import io.segflow.transforms.aggregate.RowAggregates;
import io.segflow.transforms.aggregate.ShardedGroupBy;
import io.segflow.transforms.batching.ShardingOptions;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Fails the pipeline when a key field's value is on more than one row, naming the value and how many rows
 * have it: one row per key is a contract (one segment per customer), and a second row would make a
 * second member. Counts the rows per key with segflow's {@link ShardedGroupBy}, keyed as the runner's
 * {@link ShardingOptions} say: per key, the DirectRunner ran the check once per customer and took 22 s of a
 * 40 s run on 100,000 rows. The output is the keys that repeat, which is empty whenever the pipeline goes on.
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
    Schema schema = rows.getSchema();
    if (!schema.hasField(field)) {
      throw new IllegalArgumentException("Invalid RequireUniqueKey: no field '" + field + "' in " + schema.getFieldNames());
    }
    RowAggregates count = RowAggregates.of(schema, List.of(new RowAggregates.Aggregation(List.of(), Count.combineFn(),
        Schema.Field.of("rows", Schema.FieldType.INT64))));
    int shards = rows.getPipeline().getOptions().as(ShardingOptions.class).getShards();
    return rows
        .apply("Count", ShardedGroupBy.of(schema, List.of(schema.indexOf(field)), count).withShards(shards))
        .apply("Check", ParDo.of(new FailOnRepeatFn(field, where)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  private static final class FailOnRepeatFn extends DoFn<Row, KV<String, Long>> {
    private final String field;
    private final String where;

    FailOnRepeatFn(String field, String where) {
      this.field = field;
      this.where = where;
    }

    @ProcessElement
    public void process(@Element Row count, OutputReceiver<KV<String, Long>> out) {
      long rows = count.getInt64(1);
      if (rows > 1) {
        // No cause: the run reports the deepest cause's message, and this is the whole story.
        throw new IllegalStateException(field + " '" + count.getValue(0) + "' is on " + rows + " rows of "
            + where + "; each " + field + " must be on one row (GROUP BY " + field + ", or pick one row per "
            + field + ")");
      }
    }
  }
}

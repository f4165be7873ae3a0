package io.segflow.transforms.batching;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How many shards segflow's grouped steps use (Beam SQL's GROUP BY, the regrouping of the features, the
 * profile's join). A shard is the unit of parallelism after those steps, so there should be a few per
 * worker thread; more cost the DirectRunner dearly: every step downstream runs once per shard, and a step
 * waiting on a side input is retried once per shard whenever anything else makes progress (the demo's
 * k-means took 10.6 s on 64 shards, 1.3 s on 4).
 */
public interface ShardingOptions extends PipelineOptions {
  @Description("Shards for segflow's grouped steps: a few per worker thread of the whole job.")
  @Default.Integer(64)
  int getShards();

  void setShards(int shards);
}

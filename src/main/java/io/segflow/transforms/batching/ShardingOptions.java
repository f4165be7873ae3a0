package io.segflow.transforms.batching;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How segflow's grouped steps (Beam SQL's GROUP BY, the regrouping of the features, the profile's join)
 * key their data: by a few hash shards, or by the step's own key.
 *
 * <p>The choice is per runner. The DirectRunner runs every step downstream of a grouping once per key
 * (one bundle each), so per-key grouping costs it seconds per thousand keys; it keeps everything in memory
 * anyway, so a few large shards cost it nothing more. Flink and Dataflow stream each key's values from
 * disk-backed shuffles and pay nothing per key, but a shard of a 100M-customer run would put a million
 * groups on one worker's heap: there the steps group by their own key ({@code 0}), and no step holds more
 * than one key's values.
 */
public interface ShardingOptions extends PipelineOptions {
  @Description("Shards for segflow's grouped steps (a few per worker thread), or 0 to group by each step's own "
      + "key. Default: twice the cores on the DirectRunner, 0 on every other runner.")
  @Default.InstanceFactory(ShardsFactory.class)
  int getShards();

  void setShards(int shards);

  /** Twice the cores on the DirectRunner (a few per worker thread), per key on other runners. */
  final class ShardsFactory implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return DirectRunnerCheck.isDirect(options) ? 2 * Math.max(2, Runtime.getRuntime().availableProcessors()) : 0;
    }
  }
}

package io.segflow.transforms.progress;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports when a stage's output is complete: counts its elements (per bundle, then a global sum, so it
 * fires once, after the last element) and then records the stage's row count and its finishing time, as
 * milliseconds since the run started, in the Beam distributions {@code segflow.stage.rows} (its sum) and
 * {@code segflow.stage.millis} (its max) named after the stage: distributions rather than gauges, which
 * Dataflow does not report. Where the runner runs in the launching process (Direct, embedded Flink), a
 * listener registered for the run is called too; elsewhere the worker logs one line per stage.
 *
 * <pre>{@code
 * try (StageProgress.Registration r = StageProgress.listen(runKey, (stage, rows) -> print(stage, rows))) {
 *   features.apply("Progress[features]", StageProgress.mark(runKey, "features", runStartMillis));
 *   pipeline.run().waitUntilFinish();
 * }
 * }</pre>
 */
public final class StageProgress {
  /** Metric namespaces of the distributions. */
  public static final String ROWS = "segflow.stage.rows";
  public static final String MILLIS = "segflow.stage.millis";

  private static final Logger LOG = LoggerFactory.getLogger(StageProgress.class);
  private static final Map<String, Listener> LISTENERS = new ConcurrentHashMap<>();

  private StageProgress() {}

  /** Told of each stage as it completes. */
  @FunctionalInterface
  public interface Listener {
    void stageDone(String stage, long rows);
  }

  /** Ends a listener's registration. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Listens to the stages of the run {@code runKey} that run in this process. */
  public static Registration listen(String runKey, Listener listener) {
    if (LISTENERS.putIfAbsent(runKey, listener) != null) {
      throw new IllegalStateException("StageProgress: a listener is already registered for run " + runKey);
    }
    return () -> LISTENERS.remove(runKey, listener);
  }

  public static <T> Mark<T> mark(String runKey, String stage, long runStartMillis) {
    return new Mark<>(runKey, stage, runStartMillis, input -> {
      GlobalWindowOnly.require(input, "StageProgress", "it counts a stage's rows once, when they are all made");
      return input.apply("Count", ParDo.of(new CountPerBundleFn<T>())).setCoder(VarLongCoder.of())
          .apply("Sum", GloballyOrDefault.of(Sum.ofLongs()));
    });
  }

  /**
   * As {@link #mark}, for a stage whose rows were counted where they were made (a count per chunk or
   * bundle, summed here): the DirectRunner's bookkeeping per element makes a pass over a million rows just
   * to count them cost about a second.
   */
  public static Mark<Long> markCounted(String runKey, String stage, long runStartMillis) {
    return new Mark<>(runKey, stage, runStartMillis, counts -> counts.apply("Sum", GloballyOrDefault.of(Sum.ofLongs())));
  }

  /** See {@link StageProgress}. Outputs the stage's row count, once. */
  public static final class Mark<T> extends PTransform<PCollection<T>, PCollection<Long>> {
    private final String runKey;
    private final String stage;
    private final long runStartMillis;
    private final transient Function<PCollection<T>, PCollection<Long>> size;

    private Mark(String runKey, String stage, long runStartMillis, Function<PCollection<T>, PCollection<Long>> size) {
      if (stage == null || stage.isBlank()) {
        throw new IllegalArgumentException("Invalid StageProgress.Mark: stage must be named, got '" + stage + "'");
      }
      this.runKey = runKey;
      this.stage = stage;
      this.runStartMillis = runStartMillis;
      this.size = size;
    }

    @Override
    public PCollection<Long> expand(PCollection<T> input) {
      return size.apply(input)
          .apply("Report", ParDo.of(new ReportFn(runKey, stage, runStartMillis)))
          .setCoder(VarLongCoder.of());
    }
  }

  static final class ReportFn extends DoFn<Long, Long> {
    private final String runKey;
    private final String stage;
    private final long runStartMillis;
    private final Distribution rows;
    private final Distribution millis;

    ReportFn(String runKey, String stage, long runStartMillis) {
      this.runKey = runKey;
      this.stage = stage;
      this.runStartMillis = runStartMillis;
      this.rows = Metrics.distribution(ROWS, stage);
      this.millis = Metrics.distribution(MILLIS, stage);
    }

    @ProcessElement
    public void process(@Element Long count, OutputReceiver<Long> out) {
      rows.update(count);
      millis.update(System.currentTimeMillis() - runStartMillis);
      Listener listener = LISTENERS.get(runKey);
      if (listener != null) {
        listener.stageDone(stage, count);
      } else {
        LOG.info("run {}: stage {} done, {} rows", runKey, stage, count);
      }
      out.output(count);
    }
  }
}

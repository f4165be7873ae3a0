package io.segflow.transforms.stream;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Latest;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A side input that follows a value kept outside the pipeline (the latest published model): Beam's
 * slowly-updating global-window side input. It holds {@code initial} from the start, so the main input
 * waits for nothing, and then asks {@code poll} every {@code every} for the current value; a new one
 * replaces it. The ticks come from {@link GenerateSequence}, which drains on Dataflow (PeriodicImpulse
 * does not: apache/beam#22776). A poll that fails keeps the current value and counts a failure: the
 * stream goes on with what it had.
 *
 * @param <T> the value; equal values are not sent again
 */
public final class PolledView<T> extends PTransform<PBegin, PCollectionView<T>> {
  /** The namespace of the failed polls' counter. */
  public static final String METRICS = "segflow.polled_view";
  public static final String FAILED_POLLS = "failed polls";

  /** Reads the current value; empty when there is none (yet). */
  @FunctionalInterface
  public interface Poll<T> extends Serializable {
    Optional<T> current() throws Exception;
  }

  private final Poll<T> poll;
  private final T initial;
  private final Coder<T> coder;
  private final Duration every;

  private PolledView(Poll<T> poll, T initial, Coder<T> coder, Duration every) {
    this.poll = poll;
    this.initial = initial;
    this.coder = coder;
    this.every = every;
  }

  /** @throws IllegalArgumentException without a poll, an initial value, a coder or a positive interval */
  public static <T> PolledView<T> of(Poll<T> poll, T initial, Coder<T> coder, java.time.Duration every) {
    if (poll == null || initial == null || coder == null || every == null || every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("Invalid PolledView: a poll, an initial value, a coder and a positive "
          + "interval are required (interval " + every + ")");
    }
    return new PolledView<>(poll, initial, coder, Duration.millis(every.toMillis()));
  }

  @Override
  public PCollectionView<T> expand(PBegin begin) {
    return begin
        .apply("Ticks", GenerateSequence.from(0).withRate(1, every))
        .apply("Poll", ParDo.of(new PollFn<>(poll, initial)))
        .setCoder(coder)
        .apply("EachPoll", Window.<T>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
            .discardingFiredPanes())
        // A pane may hold several values when polls outrun the runner: the latest wins.
        .apply("Latest", Latest.globally())
        .apply("View", View.asSingleton());
  }

  /**
   * At its first tick the polled value (the initial one if the poll fails or finds none), then each polled
   * value that differs from the one it sent before. A runner may start a new instance at any time: it
   * polls too, so it never sends back an older value than the latest.
   */
  private static final class PollFn<T> extends DoFn<Long, T> {
    private static final Logger LOG = LoggerFactory.getLogger(PolledView.class);
    private final Poll<T> poll;
    private final T initial;
    private final Counter failed = Metrics.counter(METRICS, FAILED_POLLS);
    private transient T sent;

    PollFn(Poll<T> poll, T initial) {
      this.poll = poll;
      this.initial = initial;
    }

    @ProcessElement
    public void process(OutputReceiver<T> out) {
      Optional<T> now;
      try {
        now = poll.current();
      } catch (Exception e) {
        // Once per interval at most, and the value in use stays: nothing is lost.
        failed.inc();
        LOG.warn("keeping the current value: the poll failed: {}", e.toString());
        now = Optional.empty();
      }
      if (sent == null) {
        sent = now.orElse(initial);
        out.output(sent);
      } else if (now.isPresent() && !Objects.equals(now.get(), sent)) {
        sent = now.get();
        out.output(sent);
      }
    }
  }
}

package io.segflow.transforms.batching;

import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * A bundle's elements as lists of at most {@code maxSize}, in the order they came: for a step that reads
 * a side input made after its main input starts.
 *
 * <p>The DirectRunner holds back the elements of such a step while its side input is not ready, and looks
 * at every element it holds again each time another step completes work: the members of a million
 * customers were looked at 8.7 million times (7.7 s of worker time) while the segment ids were made, and
 * a million customers' RFM rows 23.3 million times while the score thresholds were made from them. Lists
 * are held as one element each. The lists are bounded, so no runner holds more than {@code maxSize}
 * elements of a bundle at once. An element's timestamp becomes its list's (the latest in it).
 *
 * <pre>{@code
 * PCollection<List<Row>> lists = members.apply(BundleLists.ofAtMost(4096));
 * }</pre>
 */
public final class BundleLists<T> extends PTransform<PCollection<T>, PCollection<List<T>>> {
  /** Rows per list for {@link #forLateSideInput}: bounded, and few lists to hold back. */
  public static final int ROWS_PER_LIST = 4096;

  private final int maxSize;

  private BundleLists(int maxSize) {
    this.maxSize = maxSize;
  }

  /** {@code maxSize}: the most elements in one list, 1 to 1,048,576. */
  public static <T> BundleLists<T> ofAtMost(int maxSize) {
    if (maxSize < 1 || maxSize > 1 << 20) {
      throw new IllegalArgumentException("Invalid BundleLists: maxSize must be between 1 and 1048576, got " + maxSize);
    }
    return new BundleLists<>(maxSize);
  }

  /**
   * The input of a step whose side input is made after its rows start: on the DirectRunner the rows as
   * lists of at most {@link #ROWS_PER_LIST}, on other runners the rows as they are (those wait for a side
   * input before the step starts, and a list there is one more copy of every row between steps: 1M members
   * on embedded Flink took 1.09x the time). The step reads each element with {@link #rowsOf}; {@code name}
   * names the listing step.
   */
  public static PCollection<?> forLateSideInput(String name, PCollection<Row> rows) {
    return DirectRunnerCheck.isDirect(rows.getPipeline().getOptions())
        ? rows.apply(name, BundleLists.<Row>ofAtMost(ROWS_PER_LIST))
        : rows;
  }

  /** The rows in an element of {@link #forLateSideInput}'s output: one row, or a list of them. */
  @SuppressWarnings("unchecked")
  public static Iterable<Row> rowsOf(Object element) {
    return element instanceof Row row ? List.of(row) : (List<Row>) element;
  }

  @Override
  public PCollection<List<T>> expand(PCollection<T> input) {
    // A bundle's last list is given when the bundle finishes, where no element's window is at hand.
    GlobalWindowOnly.require(input, "BundleLists", "it lists elements of the global window");
    return input.apply("Lists", ParDo.of(new ListFn<T>(maxSize))).setCoder(ListCoder.of(input.getCoder()));
  }

  private static final class ListFn<T> extends DoFn<T, List<T>> {
    private final int maxSize;
    private transient List<T> list;
    private transient LatestTimestamp latest;

    ListFn(int maxSize) {
      this.maxSize = maxSize;
    }

    @StartBundle
    public void startBundle() {
      list = new ArrayList<>();
      latest = new LatestTimestamp();
    }

    @ProcessElement
    public void process(@Element T element, @Timestamp Instant timestamp, OutputReceiver<List<T>> out) {
      list.add(element);
      latest.see(timestamp);
      if (list.size() == maxSize) {
        out.outputWithTimestamp(list, latest.get());
        list = new ArrayList<>();
        latest.reset();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (!list.isEmpty()) {
        context.output(list, latest.get(), GlobalWindow.INSTANCE);
      }
      list = null;
    }
  }
}

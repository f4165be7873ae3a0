package io.segflow.transforms.stream;

import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Each entity's segment in the latest of the runs whose member rows come in (entity, segment label, run
 * time): the published segments a live stream's first changes start from, as a map from the entity as text
 * to its label. The latest run is the one with the greatest run time; no rows make an empty map.
 */
public final class LatestRunSegments extends PTransform<PCollection<Row>, PCollectionView<Map<String, String>>> {
  private final String entity;
  private final String label;
  private final String runTime;

  private LatestRunSegments(String entity, String label, String runTime) {
    this.entity = entity;
    this.label = label;
    this.runTime = runTime;
  }

  /** Reads the entity, its segment's label and the run's time (a DATETIME) from the fields so named. */
  public static LatestRunSegments of(String entity, String label, String runTime) {
    return new LatestRunSegments(entity, label, runTime);
  }

  @Override
  public PCollectionView<Map<String, String>> expand(PCollection<Row> members) {
    String time = runTime;
    PCollectionView<Long> latest = members
        .apply("RunTimes", MapElements.into(TypeDescriptors.longs()).via((Row r) -> r.getDateTime(time).getMillis()))
        .apply("Latest", Max.longsGlobally())
        .apply("LatestView", View.asSingleton());
    return members
        .apply("OfTheLatestRun", ParDo.of(new OfRunFn(latest, entity, label, runTime)).withSideInputs(latest))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("SegmentsView", View.asMap());
  }

  /** The entity as text and its label, for the rows of the run at the latest time. */
  private static final class OfRunFn extends DoFn<Row, KV<String, String>> {
    private final PCollectionView<Long> latest;
    private final String entity;
    private final String label;
    private final String runTime;

    OfRunFn(PCollectionView<Long> latest, String entity, String label, String runTime) {
      this.latest = latest;
      this.entity = entity;
      this.label = label;
      this.runTime = runTime;
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext context, OutputReceiver<KV<String, String>> out) {
      if (row.getDateTime(runTime).getMillis() == context.sideInput(latest)) {
        out.output(KV.of(String.valueOf((Object) row.getValue(entity)), row.getString(label)));
      }
    }
  }
}

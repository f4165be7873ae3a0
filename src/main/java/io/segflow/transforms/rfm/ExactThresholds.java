package io.segflow.transforms.rfm;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.batching.BundleLists;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * The score bounds of every measure ({@link RfmThresholds}), exact, in memory bounded whatever the number
 * of entities. A first pass counts the entities and samples them by a seeded hash of their key ({@link
 * SampleFn}); the sample brackets each bound ({@link Brackets}); a second pass counts the values below each
 * bracket and keeps those inside it ({@link AroundFn}), which a third step sorts per bound to pick the value
 * at the bound's rank ({@link PickFn}). No step holds more than one bound's bracket (about 2% of the entities
 * with the default sample, 0.2 MB at 1M entities) or the sample. When the sample holds every entity, each
 * bracket is the bound itself.
 */
final class ExactThresholds extends PTransform<PCollection<Row>, PCollection<RfmThresholds>> {
  private final String entityField;
  private final List<String> measures;
  private final int bins;
  private final int sampleCapacity;

  ExactThresholds(String entityField, List<String> measures, int bins, int sampleCapacity) {
    this.entityField = entityField;
    this.measures = List.copyOf(measures);
    this.bins = bins;
    this.sampleCapacity = sampleCapacity;
  }

  @Override
  public PCollection<RfmThresholds> expand(PCollection<Row> rows) {
    // AroundFn gives a bundle's last counts when the bundle finishes, where no row's window is at hand.
    GlobalWindowOnly.require(rows, "ExactThresholds", "its bounds are over every entity of the global window");
    Schema schema = rows.getSchema();
    int[] fields = measures.stream().mapToInt(schema::indexOf).toArray();
    PCollectionView<Brackets> brackets = rows
        .apply("Sample", GloballyOrDefault.of(new SampleFn(schema.indexOf(entityField), fields, bins, sampleCapacity)))
        .setCoder(UserTypeSerializableCoder.of(Brackets.class))
        .apply("BracketsView", View.asSingleton());
    // The brackets are made from every row, after the rows reach the counting (BundleLists says why lists).
    return BundleLists.forLateSideInput("ToCount", rows)
        .apply("Around", ParDo.of(new AroundFn(brackets, fields)).withSideInputs(brackets))
        .setCoder(KvCoder.of(VarIntCoder.of(), UserTypeSerializableCoder.of(CutCounts.class)))
        .apply("ByBound", GroupByKey.create())
        .apply("Pick", ParDo.of(new PickFn(brackets, measures)).withSideInputs(brackets))
        .setCoder(UserTypeSerializableCoder.of(Cut.class))
        .apply("Bounds", GloballyOrDefault.of(new BoundsFn(measures.size(), bins)))
        .setCoder(UserTypeSerializableCoder.of(RfmThresholds.class));
  }
}

package io.segflow.pipeline.refresh;

import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.model.FittedModel;
import io.segflow.transforms.points.ClusterModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The run's {@link SegmentIds}, one element: from the method's labels (by its own segment number) and, for a
 * method whose model clusters points, the model's centroids, matched against the previous published run;
 * otherwise by the segments' names.
 */
public final class AssignSegmentIds extends PTransform<PCollection<List<String>>, PCollection<SegmentIds>> {
  private final Optional<PCollection<FittedModel>> model;
  private final PreviousSegments previous;
  private final Map<Integer, String> names;

  private AssignSegmentIds(Optional<PCollection<FittedModel>> model, PreviousSegments previous,
      Map<Integer, String> names) {
    this.model = model;
    this.previous = previous;
    this.names = Map.copyOf(names);
  }

  /**
   * @param model the method's model, for a method that fits one; segments are then matched by centroid when it
   *     clusters points, else by name
   */
  public static AssignSegmentIds matching(PreviousSegments previous, Optional<PCollection<FittedModel>> model) {
    return new AssignSegmentIds(model, previous, Map.of());
  }

  /** The same, with names for segments by id that replace a k-means segment's generated label. */
  public AssignSegmentIds withNames(Map<Integer, String> segmentNames) {
    return new AssignSegmentIds(model, previous, segmentNames);
  }

  @Override
  public PCollection<SegmentIds> expand(PCollection<List<String>> labels) {
    PCollection<SegmentIds> ids;
    if (model.isPresent()) {
      PCollectionView<List<String>> generated = labels.apply("LabelsView", View.asSingleton());
      ids = model.get().apply("ByModel",
          ParDo.of(new ByModelFn(previous, new java.util.TreeMap<>(names), generated)).withSideInputs(generated));
    } else {
      ids = labels.apply("ByNames", ParDo.of(new ByNamesFn(previous)));
    }
    return ids.setCoder(UserTypeSerializableCoder.of(SegmentIds.class));
  }

  /** By centroid for a model that clusters points; by name for one that does not (RFM's scores). */
  static final class ByModelFn extends DoFn<FittedModel, SegmentIds> {
    private final PreviousSegments previous;
    private final java.util.TreeMap<Integer, String> names;
    private final PCollectionView<List<String>> labels;

    ByModelFn(PreviousSegments previous, java.util.TreeMap<Integer, String> names,
        PCollectionView<List<String>> labels) {
      this.previous = previous;
      this.names = names;
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element FittedModel model, ProcessContext c) {
      c.output(model instanceof ClusterModel clusters
          ? SegmentMatching.byCentroids(clusters, c.sideInput(labels), previous, names)
          : SegmentMatching.byNames(c.sideInput(labels), previous));
    }
  }

  static final class ByNamesFn extends DoFn<List<String>, SegmentIds> {
    private final PreviousSegments previous;

    ByNamesFn(PreviousSegments previous) {
      this.previous = previous;
    }

    @ProcessElement
    public void process(@Element List<String> names, OutputReceiver<SegmentIds> out) {
      out.output(SegmentMatching.byNames(names, previous));
    }
  }
}

package io.segflow.transforms.density;

import io.segflow.transforms.points.PerModel;
import io.segflow.transforms.points.PointBlock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** The totals pass: each block's points assigned as {@link AssignDensityFn} assigns them, summed per cluster. */
final class TotalsFn extends DoFn<PointBlock, ClusterTotals> {
  private final PCollectionView<DensityModel> model;
  private transient PerModel<DensityModel, CoreAssigner> assigners;

  TotalsFn(PCollectionView<DensityModel> model) {
    this.model = model;
  }

  @Setup
  public void setup() {
    assigners = new PerModel<>(CoreAssigner::new);
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    DensityModel m = context.sideInput(model);
    CoreAssigner assigner = assigners.of(m);
    ClusterTotals totals = new ClusterTotals(m.clusters(), block.dimensions());
    for (int i = 0; i < block.size(); i++) {
      totals.add(assigner.assign(block.values(), i * block.dimensions()), assigner.point);
    }
    context.output(totals);
  }
}

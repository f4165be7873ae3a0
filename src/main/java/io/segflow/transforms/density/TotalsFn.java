package io.segflow.transforms.density;

import io.segflow.transforms.points.PointBlock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** The totals pass: each block's points assigned as {@link AssignDensityFn} assigns them, summed per cluster. */
final class TotalsFn extends DoFn<PointBlock, ClusterTotals> {
  private final PCollectionView<DensityModel> model;
  private transient DensityModel current;
  private transient CoreAssigner assigner;

  TotalsFn(PCollectionView<DensityModel> model) {
    this.model = model;
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    DensityModel m = context.sideInput(model);
    if (m != current) {
      assigner = new CoreAssigner(m);
      current = m;
    }
    ClusterTotals totals = new ClusterTotals(m.clusters(), block.dimensions());
    for (int i = 0; i < block.size(); i++) {
      totals.add(assigner.assign(block.values(), i * block.dimensions()), assigner.point);
    }
    context.output(totals);
  }
}

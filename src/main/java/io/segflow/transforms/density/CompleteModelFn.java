package io.segflow.transforms.density;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** The model from the sample's clustering and the full data's totals: each cluster's size and centre, the noise. */
final class CompleteModelFn extends DoFn<ClusterTotals, DensityModel> {
  private final PCollectionView<DensityModel> clustered;

  CompleteModelFn(PCollectionView<DensityModel> clustered) {
    this.clustered = clustered;
  }

  @ProcessElement
  public void process(@Element ClusterTotals totals, ProcessContext context) {
    DensityModel m = context.sideInput(clustered);
    int d = m.preparation().dimensions();
    double[][] centroids = new double[m.clusters()][d];
    double[][] original = new double[m.clusters()][];
    long[] sizes = new long[m.clusters()];
    long assigned = totals.noise;
    for (int c = 0; c < m.clusters(); c++) {
      sizes[c] = c < totals.clusters ? totals.counts[c] : 0;
      assigned += sizes[c];
      for (int j = 0; j < d && sizes[c] > 0; j++) {
        centroids[c][j] = totals.sums[c * d + j].value() / sizes[c];
      }
      original[c] = m.preparation().toOriginalUnits(centroids[c]);
    }
    context.output(m.withFullData(centroids, original, sizes, totals.noise, assigned, m.passes() + 2));
  }
}

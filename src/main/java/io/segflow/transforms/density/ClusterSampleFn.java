package io.segflow.transforms.density;

import io.segflow.transforms.points.PreparedSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * In memory: DBSCAN on the prepared sample (with eps from its k-distance curve when none is given). Gives
 * the model without its full-data figures, which is all the passes over the data need: the core points
 * and their clusters.
 */
final class ClusterSampleFn extends DoFn<PreparedSample, DensityModel> {
  private final DbscanSettings s;

  ClusterSampleFn(DbscanSettings s) {
    this.s = s;
  }

  @ProcessElement
  public void process(@Element PreparedSample sample, OutputReceiver<DensityModel> out) {
    int d = sample.dimensions();
    double[] points = sample.sample();
    EpsKnee knee = s.epsOrNull() == null ? EpsKnee.of(points, d, s.minPoints()) : null;
    double eps = knee != null ? knee.eps() : s.epsOrNull();
    LocalDbscan.Result result = LocalDbscan.cluster(points, d, eps, s.minPoints());
    if (result.clusters() == 0) {
      // Everyone noise is no segmentation: say which knob to turn rather than publish one segment of noise.
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "Invalid Dbscan.Fit: no dense region in "
          + "the sample of %d points: no point has %d points within eps %.6g (the scaled space); lower min points "
          + "or raise eps", sample.size(), s.minPoints(), eps));
    }
    List<double[]> cores = new ArrayList<>();
    List<Integer> clusters = new ArrayList<>();
    int noise = 0;
    for (int i = 0; i < result.labels().length; i++) {
      if (result.core()[i]) {
        double[] p = new double[d];
        System.arraycopy(points, i * d, p, 0, d);
        cores.add(p);
        clusters.add(result.labels()[i]);
      }
      noise += result.labels()[i] == LocalDbscan.NOISE ? 1 : 0;
    }
    out.output(new DensityModel(s.points().entityField(), sample.preparation().features().stream()
        .map(io.segflow.transforms.points.Preparation.Feature::name).toList(), sample.preparation(), eps,
        knee == null ? null : new DensityModel.Knee(knee.percentile(), knee.curve()), s.minPoints(),
        result.clusters(), cores.toArray(new double[0][]), clusters.stream().mapToInt(Integer::intValue).toArray(),
        null, null, null, 0, sample.points(), sample.size(), noise, sample.passes(), s.points().seed()));
  }
}

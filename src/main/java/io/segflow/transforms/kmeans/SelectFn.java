package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterSums;
import io.segflow.transforms.points.PreparedSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * After the refinements, one evaluation pass scores every candidate with its final centroids (exact
 * inertia, Davies–Bouldin, Calinski–Harabasz; silhouette on the seeded sample) and picks k by the
 * criterion. A fit with one k scores that one; its figures are the model's.
 */
final class SelectFn extends DoFn<PassSums, FitState> {
  private final PCollectionView<FitState> state;
  private final PCollectionView<PreparedSample> sample;
  private final Settings settings;

  SelectFn(PCollectionView<FitState> state, PCollectionView<PreparedSample> sample, Settings settings) {
    this.state = state;
    this.sample = sample;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    FitState fit = context.sideInput(state);
    List<double[]> silhouettePoints = context.sideInput(sample).firstPoints(settings.silhouetteSampleSize());
    List<KMeansModel.SweepResult> results = new ArrayList<>();
    int best = -1;
    double bestScore = Double.NaN;
    for (int c = 0; c < fit.candidates().size(); c++) {
      KMeansModel.SweepResult r = Evaluation.of(fit.candidates().get(c), pass.perCandidate.get(c), fit, silhouettePoints);
      results.add(r);
      double score = switch (settings.selection()) {
        case SILHOUETTE -> r.silhouette();
        case DAVIES_BOULDIN -> r.daviesBouldin();
        case CALINSKI_HARABASZ -> r.calinskiHarabasz();
      };
      boolean granular = settings.minClusterShare() <= 0 || r.smallestShare() >= settings.minClusterShare();
      // Strictly better only: on a tie the smaller k wins.
      if (granular && !Double.isNaN(score) && (best < 0 || settings.selection().better(score, bestScore))) {
        best = c;
        bestScore = score;
      }
    }
    if (best < 0 && settings.minClusterShare() > 0) {
      StringBuilder shares = new StringBuilder();
      results.forEach(r -> shares.append(shares.length() == 0 ? "" : ", ").append("k=").append(r.k()).append(": ")
          .append(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * r.smallestShare())));
      throw new IllegalStateException("KMeans: no k from " + settings.kMin() + " to " + settings.kMax()
          + " gives every segment at least " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * settings.minClusterShare())
          + " of the entities (smallest segment's share by k: " + shares + "); lower min_segment_share or the k range");
    }
    int chosen = Math.max(best, 0);
    ClusterSums sums = pass.perCandidate.get(chosen);
    double[] weights = new double[sums.k()];
    long[] counts = new long[sums.k()];
    for (int m = 0; m < sums.k(); m++) {
      weights[m] = sums.weight(m);
      counts[m] = sums.count(m);
    }
    context.output(fit.withSelection(chosen, results, counts, weights));
  }
}

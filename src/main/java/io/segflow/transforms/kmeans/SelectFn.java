package io.segflow.transforms.kmeans;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** For a sweep: scores every candidate k on one evaluation pass and picks k by the criterion. */
final class SelectFn extends DoFn<PassSums, FitState> {
  private final PCollectionView<FitState> state;
  private final PCollectionView<FeatureStats> firstPass;
  private final Settings settings;

  SelectFn(PCollectionView<FitState> state, PCollectionView<FeatureStats> firstPass, Settings settings) {
    this.state = state;
    this.firstPass = firstPass;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    FitState fit = context.sideInput(state);
    List<double[]> silhouettePoints = Evaluation.silhouettePoints(fit.preparation(),
        context.sideInput(firstPass).sample.points(), settings.silhouetteSampleSize());
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
      // Strictly better only: on a tie the smaller k wins.
      if (!Double.isNaN(score) && (best < 0 || settings.selection().better(score, bestScore))) {
        best = c;
        bestScore = score;
      }
    }
    context.output(fit.withSelection(Math.max(best, 0), results, 1));
  }
}

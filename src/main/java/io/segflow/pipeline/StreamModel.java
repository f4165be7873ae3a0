package io.segflow.pipeline;

import io.segflow.pipeline.refresh.PreviousSegments;
import io.segflow.transforms.kmeans.KMeansModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model a k-means stream assigns each update with: the latest published run's, with the segment label
 * of each of its clusters (a bisecting model's leaves), so a streamed customer gets the label the batch run
 * gave the same features.
 *
 * @param labels the label of each cluster, in the model's order
 */
public record StreamModel(String runId, KMeansModel model, List<String> labels) implements Serializable {
  public StreamModel {
    labels = List.copyOf(labels);
  }

  /** @throws IllegalArgumentException when the run published no k-means model */
  static StreamModel of(PublishedRun run) {
    PreviousSegments published = run.segmentsToKeep();
    if (!(published.model() instanceof KMeansModel model)) {
      throw new IllegalArgumentException("run " + run.runId() + " published no k-means model "
          + (published.model() == null ? "" : "(its model is " + published.model().getClass().getSimpleName() + ")"));
    }
    Map<Integer, String> everLabelled = new java.util.HashMap<>();
    published.namedIds().forEach((label, id) -> everLabelled.put(id, label));
    int clusters = model.tree() != null ? model.tree().leaves() : model.k();
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      int id = published.modelIds()[c];
      // A cluster without members in that run has no row in its segments: its id's label from an earlier run.
      labels.add(Optional.ofNullable(published.labels().get(id)).or(() -> Optional.ofNullable(everLabelled.get(id)))
          .orElse("segment " + id));
    }
    return new StreamModel(run.runId(), model, labels);
  }

  /** The features the model reads, which the definition's features must still have. */
  public List<String> features() {
    return model.features();
  }
}

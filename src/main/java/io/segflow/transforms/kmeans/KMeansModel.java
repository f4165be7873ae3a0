package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterModel;
import io.segflow.transforms.points.Preparation;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Serializable;
import java.util.List;

/**
 * A fitted k-means model: the preparation of the features (transforms, clipping, imputation, scaler),
 * the centroids in the scaled space and in the features' original units, the size of each cluster, the
 * quality figures, and how the fit went (passes over the full data, iterations, convergence, seed). For
 * a sweep over k, {@code sweep} holds every candidate's figures and {@code selectedBy} the criterion that
 * picked k. A bisecting fit's {@code tree} holds the hierarchy above the clusters (its leaves), which
 * assignment descends; it is null for a flat fit. Serialises to JSON ({@link #toJson()}) so later runs and streaming pipelines can load it.
 */
public record KMeansModel(
    String entityField,
    List<String> features,
    Preparation preparation,
    int k,
    double[][] centroids,
    double[][] centroidsOriginalUnits,
    long[] clusterSizes,
    double[] clusterWeights,
    double inertia,
    double silhouette,
    double daviesBouldin,
    double calinskiHarabasz,
    long points,
    int sampleSize,
    int silhouetteSampleSize,
    int passes,
    int iterations,
    int refinementPasses,
    boolean converged,
    int restarts,
    long seed,
    Init init,
    int maxIterations,
    double tolerance,
    List<SweepResult> sweep,
    SelectionCriterion selectedBy,
    // Absent from a flat model's JSON, which stays as it was before trees.
    @JsonInclude(JsonInclude.Include.NON_NULL) SegmentTree tree) implements ClusterModel {

  /** One candidate k of a sweep and its figures. */
  /** @param smallestShare the smallest cluster's share of the weight, for granularity */
  public record SweepResult(int k, double inertia, double silhouette, double daviesBouldin, double calinskiHarabasz,
      double smallestShare) implements Serializable {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public KMeansModel {
    features = List.copyOf(features);
    sweep = sweep == null ? List.of() : List.copyOf(sweep);
  }

  @Override
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("KMeansModel cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  public static KMeansModel fromJson(String json) {
    try {
      return JSON.readValue(json, KMeansModel.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a KMeansModel: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The cluster of a point given in the scaled space: the leaf its descent reaches in a bisecting model, else
   * the nearest centroid (ties to the lower index).
   */
  public int nearest(double[] scaled) {
    if (tree != null) {
      return new TreeDescent(tree).leaf(scaled, 0);
    }
    double[] flat = new double[k * scaled.length];
    for (int c = 0; c < k; c++) {
      System.arraycopy(centroids[c], 0, flat, c * scaled.length, scaled.length);
    }
    return new Nearest().of(scaled, 0, flat, k, scaled.length);
  }

  /** Models are equal when their JSON is: arrays compare by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KMeansModel m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "KMeansModel{k=" + k + ", features=" + features + ", points=" + points + ", inertia=" + inertia
        + ", passes=" + passes + "}";
  }
}

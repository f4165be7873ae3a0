package io.segflow.pipeline.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.transforms.density.DensityModel;
import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.points.ClusterModel;
import io.segflow.transforms.profile.FeatureDrift;
import io.segflow.transforms.rfm.RfmModel;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run needs of the published run it follows to keep its segment ids: that run's segments (id to
 * label), its k-means model with the id of each centroid, and the highest id the definition ever used.
 *
 * @param runId the previous run; null for a definition's first run
 * @param labels each previous segment's label, by id
 * @param model the previous model (k-means, bisecting k-means or DBSCAN); null for a method whose model
 *     clusters nothing (rules, RFM) or a first run
 * @param modelIds the segment id of each centroid of {@code model}, in the model's order, then of each node
 *     above the leaves of a bisecting model's tree
 * @param featureBins the previous run's decile bins of each feature, which drift is measured against
 * @param namedIds the id each label last had in any published run of the definition (rules keep a
 *     segment's id by its name, even across a run where the segment had no members)
 * @param highestId the highest segment id any published run of the definition used; -1 if none
 */
public record PreviousSegments(String runId, Map<Integer, String> labels, ClusterModel model, int[] modelIds,
    Map<String, FeatureDrift.Bins> featureBins, Map<String, Integer> namedIds, int highestId)
    implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The model's JSON field with the segment id of each centroid, in the model's order. */
  public static final String SEGMENT_IDS = "segment_ids";

  /** Before a definition's first run: ids are numbered from 0. */
  public static final PreviousSegments NONE = new PreviousSegments(null, Map.of(), null, new int[0], Map.of(), Map.of(), -1);

  public PreviousSegments {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    modelIds = modelIds.clone();
    namedIds = java.util.Collections.unmodifiableMap(new TreeMap<>(namedIds));
    featureBins = java.util.Collections.unmodifiableMap(new TreeMap<>(featureBins));
  }

  /**
   * From a published run's segments and model JSON. A model published before ids were kept has none in
   * its JSON: its centroids were then numbered in order.
   */
  public static PreviousSegments of(String runId, Map<Integer, String> labels, java.util.Optional<String> modelJson,
      Map<String, Integer> namedIds, int highestId) {
    if (modelJson.isEmpty()) {
      return new PreviousSegments(runId, labels, null, new int[0], Map.of(), namedIds, highestId);
    }
    Map<String, FeatureDrift.Bins> bins;
    ClusterModel model;
    int[] ids;
    try {
      JsonNode json = JSON.readTree(modelJson.get());
      bins = FeatureBinsJson.read(json);
      model = modelOf(json, modelJson.get()).orElse(null);
      // A bisecting model's ids number every node of its tree, the leaves (its centroids) first; a model
      // that clusters nothing has no ids of its own (its segments keep theirs by name).
      ids = new int[model == null ? 0
          : model instanceof KMeansModel k && k.tree() != null ? k.tree().nodes() : model.centroids().length];
      JsonNode stored = json.get(SEGMENT_IDS);
      for (int c = 0; c < ids.length; c++) {
        ids[c] = stored == null ? c : stored.get(c).asInt();
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the previous run's model is not JSON: " + e.getOriginalMessage(), e);
    }
    return new PreviousSegments(runId, labels, model, ids, bins, namedIds, Math.max(highestId, java.util.Arrays.stream(ids).max()
        .orElse(-1)));
  }

  /** A published model by its kind: RFM's says so and clusters nothing; only DBSCAN's has an eps. */
  private static java.util.Optional<ClusterModel> modelOf(JsonNode json, String text) {
    if (RfmModel.KIND.equals(json.path("kind").asText())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(json.has("eps") ? DensityModel.fromJson(text) : KMeansModel.fromJson(text));
  }

  /**
   * A published model (its JSON as the model output holds it), by its kind; empty for a model that clusters
   * nothing (RFM's bounds).
   */
  public static java.util.Optional<ClusterModel> modelOf(String json) {
    try {
      return modelOf(JSON.readTree(json), json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("a model is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The previous model's centroids in its features' transformed units (after log1p or sqrt, before scaling). */
  public double[][] transformedCentroids() {
    double[][] out = new double[model.centroids().length][];
    for (int c = 0; c < out.length; c++) {
      out[c] = model.preparation().toTransformedUnits(model.centroids()[c]);
    }
    return out;
  }

  public boolean isFirstRun() {
    return runId == null;
  }
}

package io.segflow.transforms.density;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.segflow.transforms.points.ClusterModel;
import io.segflow.transforms.points.Preparation;
import java.util.List;

/**
 * A fitted DBSCAN model: the preparation of the features, the radius and minimum points, the core points of
 * the sample in the scaled space with their clusters (what assigns any entity: the cluster of its nearest
 * core point within eps, else noise), and each cluster's centre and size over the full data. Serialises to
 * JSON so later runs and streaming pipelines can load it.
 *
 * @param eps the neighbourhood radius in the scaled space
 * @param epsKnee how {@code eps: auto} chose eps from the sample's k-distance curve; null when eps was given
 * @param minPoints the points, itself included, within eps that make a point a core point
 * @param clusters how many clusters DBSCAN found in the sample
 * @param corePoints the sample's core points in the scaled space
 * @param coreClusters each core point's cluster
 * @param centroids each cluster's mean over the full data, in the scaled space
 * @param noise the entities in no cluster, over the full data
 * @param points the entities assigned
 * @param sampleSize the points DBSCAN clustered in memory
 * @param sampleNoise how many of those were noise
 * @param passes the passes over the full data, the assigning one included
 */
public record DensityModel(
    String entityField,
    List<String> features,
    Preparation preparation,
    double eps,
    @JsonInclude(JsonInclude.Include.NON_NULL) Knee epsKnee,
    int minPoints,
    int clusters,
    double[][] corePoints,
    int[] coreClusters,
    double[][] centroids,
    double[][] centroidsOriginalUnits,
    long[] clusterSizes,
    long noise,
    long points,
    int sampleSize,
    int sampleNoise,
    int passes,
    long seed) implements ClusterModel {

  /** The knee of the k-distance curve: eps, the share of the sample that is core at eps, the curve itself. */
  public record Knee(double percentile, double[] curve) implements java.io.Serializable {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public DensityModel {
    features = List.copyOf(features);
  }

  /**
   * This model, the sample's clustering, completed by the full data's pass: each cluster's centre (in the
   * scaled space and in original units) and size, the noise and the entities assigned.
   */
  public DensityModel withFullData(double[][] centroids, double[][] centroidsOriginalUnits, long[] clusterSizes,
      long noise, long points, int passes) {
    return new DensityModel(entityField, features, preparation, eps, epsKnee, minPoints, clusters, corePoints,
        coreClusters, centroids, centroidsOriginalUnits, clusterSizes, noise, points, sampleSize, sampleNoise, passes,
        seed);
  }

  /** The share of the entities in no cluster. */
  public double noiseShare() {
    return points == 0 ? 0 : (double) noise / points;
  }

  @Override
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("DensityModel cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  public static DensityModel fromJson(String json) {
    try {
      return JSON.readValue(json, DensityModel.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a DensityModel: " + e.getOriginalMessage(), e);
    }
  }

  /** Models are equal when their JSON is: arrays compare by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DensityModel m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "DensityModel{eps=" + eps + ", minPoints=" + minPoints + ", clusters=" + clusters + ", noise=" + noise
        + ", points=" + points + "}";
  }
}

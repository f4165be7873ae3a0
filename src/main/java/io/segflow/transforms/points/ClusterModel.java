package io.segflow.transforms.points;

import io.segflow.transforms.model.FittedModel;
import java.util.List;

/**
 * What every fitted distance-based model offers beyond its own figures: the entity, the features and their
 * preparation, and each cluster's centre and size, which labels, segment ids across refreshes and reports
 * are built from. Each model serialises to JSON, which later runs read back.
 */
public interface ClusterModel extends FittedModel {
  String entityField();

  List<String> features();

  Preparation preparation();

  /** Each cluster's centre in the scaled space, by the method's cluster number (noise has none). */
  double[][] centroids();

  /** Each cluster's centre in the features' original units. */
  double[][] centroidsOriginalUnits();

  /** The entities in each cluster, over the full data. */
  long[] clusterSizes();
}

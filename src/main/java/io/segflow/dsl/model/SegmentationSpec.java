package io.segflow.dsl.model;

import java.util.List;

/** How entities are segmented. */
public sealed interface SegmentationSpec permits KMeansSpec, BisectingKMeansSpec, DbscanSpec, RulesSpec, RfmSpec {
  /**
   * The feature columns used (k-means, dbscan) or profiled (rules, rfm); empty means every numeric column. Each method
   * is bound and checked in {@code dsl.methods}.
   */
  List<String> features();
}

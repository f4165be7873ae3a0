package io.segflow.pipeline.methods;

import io.segflow.pipeline.refresh.PreviousSegments;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** A segmentation method as the pipeline sees it: the features' rows in, a method-neutral result out. */
public interface SegmentationMethod {
  /**
   * Applies the method to the features.
   *
   * @param features one row per entity: the entity field and the features, as the features SQL gives them
   */
  Segmented segment(PCollection<Row> features, MethodContext context);

  /**
   * Whether a row's segment depends on that row alone (rules), so a stream can segment each update as it
   * comes; a method that fits on all the rows (k-means) needs its latest published model instead. Default no.
   */
  default boolean segmentsEachRowAlone() {
    return false;
  }

  /**
   * Whether a stream assigns each update with the model of the latest published run instead (k-means,
   * flat or bisecting: the nearest centroid, the tree's descent). Default no.
   */
  default boolean assignsWithPublishedModel() {
    return false;
  }

  /** What each segment means, by its name, for marketers (a rule's description); none by default. */
  default Map<String, String> descriptions() {
    return Map.of();
  }

  /** Names the definition gives segments by their published id, replacing generated labels. */
  default Map<Integer, String> segmentNames() {
    return Map.of();
  }

  /**
   * How the method's fit started from the run it follows, for the report: empty when the definition asked
   * for nothing of the kind, otherwise what was done or why it could not be.
   */
  default Optional<String> startFrom(PreviousSegments previous) {
    return Optional.empty();
  }

  /** How far a refresh may move the segments before the run is refused. */
  default DriftLimits driftLimits() {
    return DriftLimits.NONE;
  }
}

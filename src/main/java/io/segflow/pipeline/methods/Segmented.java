package io.segflow.pipeline.methods;

import io.segflow.transforms.model.FittedModel;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * What every method gives the pipeline.
 *
 * @param assignments one row per member: the entity first, {@code segment_id} (INT32; {@link
 *     io.segflow.pipeline.refresh.SegmentIds#NOISE} for noise), {@code distance} and
 *     {@code margin} (DOUBLE) where the method measures them, then the {@code profiled} features as
 *     {@link #PROFILED_PREFIX}{@code <feature>} (apart from the fields above whatever the features are named),
 *     which the segment profiles are computed from without a join back to the features
 * @param labels one element: each segment's generated label, by the method's segment number (the refresh
 *     step gives the published ids and labels from these)
 * @param profiled the features profiled per segment
 * @param model the fitted model, for methods that fit one: published with the run; when it clusters points
 *     ({@link io.segflow.transforms.points.ClusterModel}), segments are matched across runs by its centroids,
 *     else by their names
 * @param rejects entities the method could not segment, as {@link io.segflow.transforms.quality.EntityRejects}
 * @param stage the name of the method's stage in progress lines, marked when {@code stageDone} is complete
 * @param memberColumns profiled features the members table also carries, under their own names (rfm's scores)
 * @param hierarchical whether the segments form a tree (bisecting k-means): the labels then number every node,
 *     leaves first, the assignments name leaves, and the model's tree gives each node's parent
 */
public record Segmented(PCollection<Row> assignments, PCollection<List<String>> labels, List<String> profiled,
    Optional<PCollection<FittedModel>> model, Optional<PCollection<Row>> rejects, String stage,
    PCollection<?> stageDone, List<String> memberColumns, boolean hierarchical) {
  /** The prefix of the profiled features' fields in the assignments. */
  public static final String PROFILED_PREFIX = "profiled__";

  public Segmented {
    profiled = List.copyOf(profiled);
    memberColumns = List.copyOf(memberColumns);
    if (!profiled.containsAll(memberColumns)) {
      throw new IllegalArgumentException("member columns " + memberColumns + " must be profiled " + profiled);
    }
  }

  /** The assignments' fields holding the profiled features, in order. */
  public List<String> profiledFields() {
    return profiled.stream().map(f -> PROFILED_PREFIX + f).toList();
  }
}

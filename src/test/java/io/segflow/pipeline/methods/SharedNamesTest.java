package io.segflow.pipeline.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.dsl.model.DbscanSpec;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.pipeline.refresh.SegmentIds;
import io.segflow.transforms.rfm.RfmScores;
import org.junit.jupiter.api.Test;

/**
 * Names the language checks and the run makes, written twice as the layers cannot share a constant (the
 * language imports neither the pipeline nor the transforms). One validated against one name and run
 * against the other would fail, or collide, only at run time.
 */
class SharedNamesTest {
  /** The score columns rfm's conditions are planned over ({@link RfmSpec#SCORES}) and the transform makes. */
  @Test
  void theLanguageAndTheTransformNameTheScoresAlike() {
    assertEquals(RfmSpec.SCORES, RfmScores.SCORE_FIELDS);
  }

  /** DBSCAN's segment names may not take the noise segment's label, the one the run publishes. */
  @Test
  void theLanguageKnowsTheNoiseLabelTheRunPublishes() {
    assertEquals(SegmentIds.NOISE_LABEL, DbscanSpec.NOISE_SEGMENT);
  }
}

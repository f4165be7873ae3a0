package io.segflow.pipeline.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.dsl.model.RfmSpec;
import io.segflow.transforms.rfm.RfmScores;
import org.junit.jupiter.api.Test;

/**
 * The score columns are named twice, as the layers cannot share a constant: by the language, which plans
 * the definition's conditions over them ({@link RfmSpec#SCORES}), and by the transform, which makes them
 * ({@link RfmScores#SCORE_FIELDS}). A condition validated against one name and run against the other would
 * fail only at run time.
 */
class RfmScoreNamesTest {
  @Test
  void theLanguageAndTheTransformNameTheScoresAlike() {
    assertEquals(RfmSpec.SCORES, RfmScores.SCORE_FIELDS);
  }
}

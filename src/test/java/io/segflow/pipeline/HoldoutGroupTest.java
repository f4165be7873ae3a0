package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The control group: its share, its stability, and a new group for a new salt. */
class HoldoutGroupTest {
  private static final int ENTITIES = 200_000;

  @Test
  void holdsOutTheShareStablyAndANewSaltDrawsANewGroup() {
    HoldoutGroup group = new HoldoutGroup(0.1, "2026-q4");
    HoldoutGroup again = new HoldoutGroup(0.1, "2026-q4");
    HoldoutGroup resalted = new HoldoutGroup(0.1, "2027-q1");
    int held = 0;
    int heldByBoth = 0;
    for (int i = 0; i < ENTITIES; i++) {
      String entity = "c" + i;
      boolean in = group.holdsOut(entity);
      assertEquals(in, again.holdsOut(entity), "the same entity and salt, the same answer");
      held += in ? 1 : 0;
      heldByBoth += in && resalted.holdsOut(entity) ? 1 : 0;
    }
    // Binomial: the standard deviation of the share is 0.00067 here, so 0.005 is over seven of them.
    assertEquals(0.1, held / (double) ENTITIES, 0.005);
    // Independent groups overlap on share², 1%; the same group would overlap on 10%.
    assertEquals(0.01, heldByBoth / (double) ENTITIES, 0.002);
  }

  @Test
  void anEntityIsHashedAsTextSoItsTypeDoesNotMoveItAndNoneHoldsNobody() {
    HoldoutGroup group = new HoldoutGroup(0.5, "s");
    for (long id = 0; id < 1000; id++) {
      assertEquals(group.holdsOut(String.valueOf(id)), group.holdsOut(id), "INT64 " + id + " and its text agree");
    }
    for (int i = 0; i < 1000; i++) {
      assertFalse(HoldoutGroup.NONE.holdsOut("c" + i));
    }
  }
}

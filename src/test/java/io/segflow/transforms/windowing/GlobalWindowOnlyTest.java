package io.segflow.transforms.windowing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class GlobalWindowOnlyTest {

  @Test
  void theGlobalWindowPassesAndAnyOtherIsNamed(TestPipeline p) {
    PCollection<Integer> global = p.apply(Create.of(1, 2, 3));
    assertDoesNotThrow(() -> GlobalWindowOnly.require(global, "Example", "it counts the global window"));

    PCollection<Integer> sessions = global.apply(Window.into(Sessions.withGapDuration(Duration.standardMinutes(5))));
    assertEquals("Invalid Example: it counts the global window, got windowing Sessions",
        assertThrows(IllegalArgumentException.class,
            () -> GlobalWindowOnly.require(sessions, "Example", "it counts the global window")).getMessage());

    // Back in the global window (as after a re-windowing), the input passes again.
    PCollection<Integer> reglobal = sessions.apply("Reglobal", Window.into(new GlobalWindows()));
    assertDoesNotThrow(() -> GlobalWindowOnly.require(reglobal, "Example", "it counts the global window"));
    p.enableAbandonedNodeEnforcement(false);
  }
}

package io.segflow.transforms.windowing;

import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.PCollection;

/**
 * Refuses, at construction, an input a transform cannot handle outside the global window: one message form
 * for every such transform, naming the transform, what it does and the windowing it was given.
 */
public final class GlobalWindowOnly {

  private GlobalWindowOnly() {}

  /**
   * Throws {@link IllegalArgumentException} ("Invalid {transform}: {does}, got windowing FixedWindows")
   * unless {@code input} is in the global window.
   */
  public static void require(PCollection<?> input, String transform, String does) {
    WindowFn<?, ?> windowFn = input.getWindowingStrategy().getWindowFn();
    if (!(windowFn instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "Invalid " + transform + ": " + does + ", got windowing " + windowFn.getClass().getSimpleName());
    }
  }
}

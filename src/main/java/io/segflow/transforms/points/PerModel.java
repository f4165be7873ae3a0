package io.segflow.transforms.points;

import java.util.function.Function;

/**
 * What a DoFn builds from its side input's model (an assigner, an index), rebuilt only when the runner
 * hands it another model: a refreshed side input. Create it in {@code @Setup}; it belongs to one DoFn
 * instance, so to one thread.
 */
public final class PerModel<M, T> {
  private final Function<M, T> build;
  private M model;
  private T value;

  public PerModel(Function<M, T> build) {
    this.build = build;
  }

  public T of(M current) {
    if (current != model) {
      value = build.apply(current);
      model = current;
    }
    return value;
  }
}

package io.segflow.transforms.values;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A composite transform's output of several PCollections under fixed names, read through the subclass's
 * typed accessors (as BigQueryIO's {@code WriteResult} is): the {@link POutput} plumbing, written once.
 */
public abstract class MultiOutput implements POutput {
  private final Pipeline pipeline;
  private final Map<TupleTag<?>, PValue> parts = new LinkedHashMap<>();

  protected MultiOutput(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Names one part of the output; returns it, for the subclass's field. */
  protected final <T extends PValue> T part(String name, T value) {
    if (parts.put(new TupleTag<>(name), value) != null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " names two parts '" + name + "'");
    }
    return value;
  }

  @Override
  public final Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public final Map<TupleTag<?>, PValue> expand() {
    return Collections.unmodifiableMap(parts);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}

package io.segflow.compile;

import java.util.function.Function;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;

/**
 * Beam SQL hands a relation its inputs as a list: a relation of one input applies its transform, made when
 * the input is at hand (it may read the pipeline's options), to the first.
 */
final class SingleInput extends PTransform<PCollectionList<Row>, PCollection<Row>> {
  private final String name;
  private final transient Function<PCollection<Row>, PTransform<PCollection<Row>, PCollection<Row>>> transform;

  SingleInput(String name, Function<PCollection<Row>, PTransform<PCollection<Row>, PCollection<Row>>> transform) {
    this.name = name;
    this.transform = transform;
  }

  @Override
  public PCollection<Row> expand(PCollectionList<Row> inputs) {
    PCollection<Row> input = inputs.get(0);
    return input.apply(name, transform.apply(input));
  }
}

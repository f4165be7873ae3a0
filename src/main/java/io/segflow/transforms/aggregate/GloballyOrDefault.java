package io.segflow.transforms.aggregate;

import io.segflow.transforms.windowing.GlobalWindowOnly;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * {@code Combine.globally(fn)} of a bounded input in the global window: exactly one output, the
 * combine's default ({@code fn.defaultValue()}) when the input is empty, as Beam's; but no step waits on
 * a side input for it.
 *
 * <p>Beam's Combine.globally makes the default in a step that reads the combined result as a side input,
 * and that step's input is ready when the pipeline starts. The DirectRunner runs a step whose side input is
 * not ready again each time another step completes work, translating it anew each time: in the README's
 * demo each such step ran about 170 times, and the re-runs took a fifth of the run's processor time. Here
 * the default is a second input, tagged, and a final pick keeps the combined result when there is one.
 *
 * <pre>{@code
 * PCollection<Long> total = counts.apply("Total", GloballyOrDefault.of(Sum.ofLongs()));
 * }</pre>
 */
public final class GloballyOrDefault<InputT, OutputT> extends PTransform<PCollection<InputT>, PCollection<OutputT>> {
  private final CombineFn<InputT, ?, OutputT> fn;

  private GloballyOrDefault(CombineFn<InputT, ?, OutputT> fn) {
    this.fn = fn;
  }

  public static <InputT, OutputT> GloballyOrDefault<InputT, OutputT> of(CombineFn<InputT, ?, OutputT> fn) {
    if (fn == null) {
      throw new IllegalArgumentException("GloballyOrDefault.of needs a CombineFn, got null");
    }
    return new GloballyOrDefault<>(fn);
  }

  @Override
  public PCollection<OutputT> expand(PCollection<InputT> input) {
    GlobalWindowOnly.require(input, "GloballyOrDefault", "its default is for the global window");
    PCollection<OutputT> combined = input.apply("Combine", Combine.globally(fn).withoutDefaults());
    Coder<OutputT> coder = combined.getCoder();
    KvCoder<Boolean, OutputT> taggedCoder = KvCoder.of(BooleanCoder.of(), coder);
    PCollection<KV<Boolean, OutputT>> found = combined.apply("Found", ParDo.of(new TagFn<OutputT>()))
        .setCoder(taggedCoder);
    PCollection<KV<Boolean, OutputT>> fallback = input.getPipeline()
        .apply("Default", Create.of(KV.of(false, fn.defaultValue())).withCoder(taggedCoder));
    return PCollectionList.of(found).and(fallback)
        .apply("Both", Flatten.pCollections())
        .apply("Pick", Combine.globally(new PickFoundFn<OutputT>()).withoutDefaults()).setCoder(taggedCoder)
        .apply("Value", Values.create()).setCoder(coder);
  }

  static final class TagFn<T> extends DoFn<T, KV<Boolean, T>> {
    @ProcessElement
    public void process(@Element T combined, OutputReceiver<KV<Boolean, T>> out) {
      out.output(KV.of(true, combined));
    }
  }

  /** Of the combined result (tagged true) and the default, the combined result. */
  static final class PickFoundFn<T> extends Combine.BinaryCombineFn<KV<Boolean, T>> {
    @Override
    public KV<Boolean, T> apply(KV<Boolean, T> left, KV<Boolean, T> right) {
      return left.getKey() ? left : right;
    }
  }
}

package io.segflow.transforms.kmeans;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Encodes a model as its JSON: portable across runners and readable when inspected. */
public final class KMeansModelCoder extends AtomicCoder<KMeansModel> {
  private static final long serialVersionUID = 1L;
  private static final KMeansModelCoder INSTANCE = new KMeansModelCoder();

  public static KMeansModelCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(KMeansModel value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(value.toJson(), out);
  }

  @Override
  public KMeansModel decode(InputStream in) throws IOException {
    return KMeansModel.fromJson(StringUtf8Coder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}

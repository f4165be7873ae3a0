package io.segflow.pipeline.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segflow.transforms.profile.FeatureDrift;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's feature bins in its published model JSON ({@code feature_bins}): what the next run measures each
 * feature's drift against.
 */
public final class FeatureBinsJson {
  /** The model JSON's field. */
  public static final String FIELD = "feature_bins";

  private FeatureBinsJson() {}

  /** {@code {feature: {upper_bounds: [...], shares: [...]}}}. */
  public static ObjectNode write(Map<String, FeatureDrift.Bins> bins) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    bins.forEach((feature, b) -> {
      ObjectNode node = out.putObject(feature);
      ArrayNode bounds = node.putArray("upper_bounds");
      for (double v : b.upperBounds()) {
        bounds.add(v);
      }
      ArrayNode shares = node.putArray("shares");
      for (double v : b.shares()) {
        shares.add(v);
      }
    });
    return out;
  }

  /** The bins of a model JSON; none for a model published before bins were kept. */
  public static Map<String, FeatureDrift.Bins> read(JsonNode model) {
    Map<String, FeatureDrift.Bins> out = new LinkedHashMap<>();
    model.path(FIELD).fields().forEachRemaining(e -> out.put(e.getKey(),
        new FeatureDrift.Bins(doubles(e.getValue().path("upper_bounds")), doubles(e.getValue().path("shares")))));
    return out;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}

package io.segflow.dsl.yaml;

import io.segflow.dsl.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a mapping that has already passed its schema: a shape the schema rules out is a bug
 * here, not user input, so these fail loudly.
 */
public final class YamlFields {
  private YamlFields() {}

  public static Optional<YamlNode> node(YamlNode.Mapping map, String key) {
    YamlNode.Entry e = map.entry(key);
    return e == null || isNull(e.value()) ? Optional.empty() : Optional.of(e.value());
  }

  public static Optional<String> string(YamlNode.Mapping map, String key) {
    return node(map, key).map(n -> ((YamlNode.Scalar) n).value());
  }

  public static String requiredString(YamlNode.Mapping map, String key) {
    return string(map, key).orElseThrow(() -> new IllegalStateException("schema let " + key + " be absent"));
  }

  /**
   * A whole number. The schema's "integer" is JSON Schema's, which takes any number without a fraction,
   * so a YAML float such as {@code 3.} or {@code 1e1} arrives here too and reads as its whole value.
   */
  public static Optional<Long> integer(YamlNode.Mapping map, String key) {
    return node(map, key).map(n -> {
      YamlNode.Scalar scalar = (YamlNode.Scalar) n;
      return scalar.kind() == YamlNode.ScalarKind.FLOAT
          ? new java.math.BigDecimal(scalar.value().replace("_", "")).toBigIntegerExact().longValueExact()
          : YamlJson.parseInteger(scalar.value()).longValueExact();
    });
  }

  /** A number (integer or float) as a double. */
  public static Optional<Double> number(YamlNode.Mapping map, String key) {
    return node(map, key).map(n -> toDouble((YamlNode.Scalar) n));
  }

  /** A YAML integer (any base) or float as a double. */
  public static double toDouble(YamlNode.Scalar scalar) {
    return scalar.kind() == YamlNode.ScalarKind.INTEGER
        ? io.segflow.dsl.yaml.YamlJson.parseInteger(scalar.value()).doubleValue()
        : Double.parseDouble(scalar.value().replace("_", ""));
  }

  public static Optional<YamlNode.Mapping> mapping(YamlNode.Mapping map, String key) {
    return node(map, key).map(YamlNode.Mapping.class::cast);
  }

  public static List<String> strings(YamlNode.Mapping map, String key) {
    List<String> out = new ArrayList<>();
    node(map, key).ifPresent(n -> ((YamlNode.Sequence) n).items().forEach(i -> out.add(((YamlNode.Scalar) i).value())));
    return out;
  }

  /** The entries of a mapping, in file order. */
  public static Map<String, YamlNode> entries(YamlNode.Mapping map) {
    Map<String, YamlNode> out = new LinkedHashMap<>();
    map.entries().forEach((k, e) -> out.put(k, e.value()));
    return out;
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.kind() == YamlNode.ScalarKind.NULL;
  }
}

package io.segflow.dsl.methods;

import java.util.List;
import java.util.Optional;

/**
 * A column of the features query a method reads.
 *
 * @param path where the definition names it, for positions ({@code ["segmentation", "features", 2]})
 * @param field the same path as a message writes it ({@code segmentation.features[2]})
 * @param numericBecause why it must be numeric, empty if any type will do
 */
public record RequiredColumn(String column, List<Object> path, String field, Optional<String> numericBecause) {
  public RequiredColumn {
    path = List.copyOf(path);
  }

  /** The method's {@code segmentation.features}, in order. */
  static List<RequiredColumn> features(List<String> features, Optional<String> numericBecause) {
    List<RequiredColumn> out = new java.util.ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      out.add(new RequiredColumn(features.get(i), List.of("segmentation", "features", i),
          "segmentation.features[" + i + "]", numericBecause));
    }
    return out;
  }
}

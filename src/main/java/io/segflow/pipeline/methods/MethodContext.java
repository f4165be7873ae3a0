package io.segflow.pipeline.methods;

import java.util.Map;

/**
 * What a method needs from the definition beyond its own options.
 *
 * @param entity the entity field of the features
 * @param literals the parameters' values as SQL literals, for methods whose options hold SQL
 * @param previous the published run this run follows, for a method that starts from its model
 * @param words the words the definition declares for segments low or high on its features, for labels
 */
public record MethodContext(String entity, Map<String, String> literals,
    io.segflow.pipeline.refresh.PreviousSegments previous, LabelWords words) {
  public MethodContext {
    literals = Map.copyOf(literals);
  }
}

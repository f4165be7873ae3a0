package io.segflow.pipeline.methods;

import java.util.Map;

/**
 * What a method needs from the definition beyond its own options.
 *
 * @param entity the entity field of the features
 * @param literals the parameters' values as SQL literals, for methods whose options hold SQL
 */
public record MethodContext(String entity, Map<String, String> literals) {
  public MethodContext {
    literals = Map.copyOf(literals);
  }
}

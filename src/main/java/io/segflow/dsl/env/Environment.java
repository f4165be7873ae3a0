package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An environment: bindings of logical sources, the sink and the default runner. */
public record Environment(
    Path file,
    String displayPath,
    String name,
    Runner runner,
    Map<String, SourceBinding> sources,
    OutputBinding output) {
  public Environment {
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }
}

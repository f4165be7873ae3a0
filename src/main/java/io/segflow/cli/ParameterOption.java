package io.segflow.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --param name=value}, repeatable: overrides of the definition's parameters, checked against them when
 * the definition is validated ({@link ValidatedDefinition}).
 */
final class ParameterOption {
  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Overrides the default of a parameter of the definition; repeatable. A run records every value.")
  Map<String, String> overrides = new LinkedHashMap<>();
}

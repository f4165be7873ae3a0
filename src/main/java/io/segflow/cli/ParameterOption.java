package io.segflow.cli;

import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.validate.ParameterValues;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --param name=value}, repeatable: overrides of the definition's parameters, checked against them. */
final class ParameterOption {
  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Overrides the default of a parameter of the definition; repeatable. A run records every value.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * Every parameter's value.
   *
   * @throws CommandLine.ParameterException (exit 2) for an unknown name or a value that does not fit its type
   */
  Map<String, String> resolve(CommandSpec spec, SegmentDefinition def) {
    try {
      return ParameterValues.resolve(def.parameters(), overrides);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}

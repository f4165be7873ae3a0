package io.segflow.cli;

import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.validate.ParameterValues;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --param name=value} overrides, checked against the definition's parameters. */
final class ParameterOverrides {
  private ParameterOverrides() {}

  /**
   * Every parameter's value for this run.
   *
   * @throws CommandLine.ParameterException (exit 2) for an unknown name or a value that does not fit its type
   */
  static Map<String, String> resolve(CommandSpec spec, SegmentDefinition def, Map<String, String> overrides) {
    try {
      return ParameterValues.resolve(def.parameters(), overrides);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}

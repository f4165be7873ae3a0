package io.segflow.cli;

import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A definition validated (as segflow validate would) against its environment and compiled with the command's
 * {@code --param}s, for the commands that go on to plan or run it.
 */
record ValidatedDefinition(CompiledDefinition compiled, Environment environment) {

  /**
   * Validates; prints every diagnostic; empty if there was an error.
   *
   * @throws CommandLine.ParameterException (exit 2) for a {@code --param} that names no parameter or does not
   *     fit its type
   */
  static Optional<ValidatedDefinition> of(CommandSpec spec, String definition, String environment,
      ParameterOption parameters, PrintWriter out) {
    DefinitionValidator validator = new DefinitionValidator(parameters.overrides);
    List<DefinitionFiles.Target> target = List.of(new DefinitionFiles.Target(Path.of(definition), definition));
    DefinitionValidator.Report report;
    try {
      report = validator.validate(target, environment, EnvironmentResolver.fromProcess());
    } catch (DefinitionValidator.BadParameter e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    for (Diagnostic d : report.diagnostics().sorted()) {
      out.println(d.render());
    }
    out.flush();
    if (report.diagnostics().hasErrors()) {
      return Optional.empty();
    }
    return Optional.of(new ValidatedDefinition(report.valid().get(0), report.environment().orElseThrow()));
  }
}

package io.segflow.cli;

import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionFiles;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A definition validated (as segflow validate would) against its environment, for the commands that go on. */
record ValidatedDefinition(SegmentDefinition definition, Environment environment) {

  /** Validates; prints every diagnostic; empty if there was an error. */
  static Optional<ValidatedDefinition> of(String definition, String environment, PrintWriter out) {
    DefinitionValidator validator = new DefinitionValidator();
    List<DefinitionFiles.Target> target = List.of(new DefinitionFiles.Target(Path.of(definition), definition));
    DefinitionValidator.Report report = validator.validate(target, environment, EnvironmentResolver.fromProcess());
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

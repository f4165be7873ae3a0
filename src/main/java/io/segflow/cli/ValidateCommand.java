package io.segflow.cli;

import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.Diagnostics;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionFiles;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.pipeline.LiveSourceCheck;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow validate}: shape and meaning of definitions, every problem on its own line. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks segment definitions: shape (JSON Schema), meaning (entity, features, segments), SQL (planned by"
          + " Beam SQL against the declared columns) and the environment's bindings.",
      "Prints one line per problem (path:line:col: error[CODE] field: message); exits 1 if any is an error."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every definition is valid (warnings allowed)", "1:a definition has an error",
        "2:the command line is wrong"})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "Definition files, or folders searched recursively for *.yaml and *.yml.")
  List<String> paths;

  @Mixin EnvironmentOption environment;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, github (GitHub Actions annotations) or json (one object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  @Override
  public Integer call() throws Exception {
    DiagnosticFormat output;
    try {
      output = DiagnosticFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--format must be text, github or json, got '" + format + "'");
    }
    List<DefinitionFiles.Target> targets = DefinitionFiles.expand(paths);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (targets.isEmpty()) {
      err.println("segflow validate: no *.yaml or *.yml files under " + String.join(", ", paths));
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    DefinitionValidator validator = new DefinitionValidator();
    DefinitionValidator.Report report = validator.validate(targets, environment.name, EnvironmentResolver.fromProcess());
    report.environment().ifPresent(env -> checkLive(report.valid().stream().map(c -> c.definition()).toList(), env, report.diagnostics(), err));
    for (Diagnostic d : report.diagnostics().sorted()) {
      out.println(output.render(d));
    }
    out.flush();
    long errors = report.diagnostics().errorCount();
    long warnings = report.diagnostics().warningCount();
    err.printf("validated %d definition%s against environment %s: %d error%s, %d warning%s%n",
        report.definitions(), report.definitions() == 1 ? "" : "s",
        report.environment().map(e -> e.name()).orElse(environment.name),
        errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    err.flush();
    return errors > 0 ? ExitCodes.INVALID_INPUT : ExitCodes.OK;
  }

  /**
   * The valid definitions' BigQuery sources' tables and columns, checked against the service where
   * credentials allow.
   */
  private static void checkLive(List<SegmentDefinition> valid, Environment env, Diagnostics sink, PrintWriter err) {
    LiveSourceCheck checked = LiveSourceCheck.of(valid, env);
    checked.skipped().ifPresent(why -> err.println("segflow validate: skipped checking the BigQuery source tables of "
        + "environment " + env.name() + " against BigQuery: " + why));
    sink.addAll(checked.diagnostics());
    checked.failures().forEach(f -> err.println("segflow validate: could not check the BigQuery sources of " + f));
  }
}

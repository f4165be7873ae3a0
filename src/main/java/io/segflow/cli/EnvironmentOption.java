package io.segflow.cli;

import io.segflow.dsl.env.EnvironmentResolver;
import picocli.CommandLine.Option;

/** {@code --env}, the same for every command that binds a definition to an environment. */
final class EnvironmentOption {
  @Option(names = "--env", paramLabel = "ENV", defaultValue = EnvironmentResolver.DEFAULT_ENVIRONMENT,
      description = "Environment: a name in pipelines/environments/ or a path to a file. Default: ${DEFAULT-VALUE}.")
  String name;
}

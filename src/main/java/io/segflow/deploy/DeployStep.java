package io.segflow.deploy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One command of a deployment and why it is there. {@code whenExists} is the command that replaces it when
 * what it creates is already there (a Cloud Scheduler job is created once, then updated), decided by
 * running {@code exists}.
 */
public record DeployStep(String why, List<String> command, Optional<List<String>> exists,
    Optional<List<String>> whenExists) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public DeployStep {
    command = List.copyOf(command);
    exists = exists.map(List::copyOf);
    whenExists = whenExists.map(List::copyOf);
  }

  public static DeployStep of(String why, List<String> command) {
    return new DeployStep(why, command, Optional.empty(), Optional.empty());
  }

  /** The command as a POSIX shell line: a word with anything but plain characters is single-quoted. */
  public static String shell(List<String> command) {
    return command.stream().map(DeployStep::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}

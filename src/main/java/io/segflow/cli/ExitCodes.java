package io.segflow.cli;

/** The exit codes every command keeps to; scripts and CI depend on them. */
final class ExitCodes {
  static final int OK = 0;
  /** Invalid input (a definition or environment with an error) or a failed run. */
  static final int INVALID_INPUT = 1;
  /** The command line itself is wrong. */
  static final int USAGE = 2;

  private ExitCodes() {}
}

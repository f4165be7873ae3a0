package io.segflow.cli;

import java.io.PrintWriter;

/** A command's progress on stderr: seconds since it started, then what was done. */
final class ProgressLine {
  private ProgressLine() {}

  static void print(PrintWriter err, long startedNanos, String what) {
    err.printf("[%5.1fs] %s%n", (System.nanoTime() - startedNanos) / 1e9, what);
    err.flush();
  }
}

/** The segflow command line: one class per command, exit codes 0 ok, 1 invalid input or failed run, 2 usage error. Results go to stdout, logs to stderr. */
package io.segflow.cli;

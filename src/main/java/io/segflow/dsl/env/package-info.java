/** Environments: bindings of logical sources to files or BigQuery, the output location and the runner. */
package io.segflow.dsl.env;

/** Loading definitions: read, parse, schema-check, then bind the YAML tree to the model. */
package io.segflow.dsl.load;

/** The immutable model of a valid definition, as records. Positions stay with the YAML document. */
package io.segflow.dsl.model;

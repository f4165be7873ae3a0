/** Validation against the JSON Schemas in dsl/schema, with messages worded from the schemas themselves. */
package io.segflow.dsl.schema;

/** The definition language, with no Beam dependency, so editors and CI load it fast. Stages: load (yaml) → check shape (schema) → bind (load, model) → check meaning (validate). */
package io.segflow.dsl;

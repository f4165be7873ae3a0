/** Joins of keyed rows that do not depend on the runner's per-key bundling. */
package io.segflow.transforms.join;

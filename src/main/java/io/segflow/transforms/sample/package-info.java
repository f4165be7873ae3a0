/** Bounded, seeded samples of a PCollection that are the same on every runner. */
package io.segflow.transforms.sample;

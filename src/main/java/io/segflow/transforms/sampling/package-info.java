/** Bounded, seeded samples of members' values: the same members on every runner, whatever the order. */
package io.segflow.transforms.sampling;

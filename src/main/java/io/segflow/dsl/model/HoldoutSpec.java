package io.segflow.dsl.model;

/** A control group: {@code share} of the entities, drawn by a hash of the entity and {@code salt}. */
public record HoldoutSpec(double share, String salt) {}

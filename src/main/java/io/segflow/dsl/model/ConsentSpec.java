package io.segflow.dsl.model;

/** Where consent is: a BOOL {@code column} of {@code source}, keyed by its {@code entity} column. */
public record ConsentSpec(String source, String column, String entity) {}

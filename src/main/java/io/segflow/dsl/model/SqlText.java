package io.segflow.dsl.model;

/** SQL written by the analyst (the features query or a rule predicate) and where it came from. */
public record SqlText(String text, SqlOrigin origin) {}

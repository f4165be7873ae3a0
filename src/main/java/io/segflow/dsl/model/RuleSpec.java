package io.segflow.dsl.model;

/** One rule: entities for which {@code when} holds go to {@code segment}. */
public record RuleSpec(String segment, SqlText when, String description) {}

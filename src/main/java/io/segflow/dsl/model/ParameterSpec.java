package io.segflow.dsl.model;

/**
 * A definition parameter: a typed value the SQL reads as {@code @name}, with a default that a run can
 * override ({@code --param name=value}). The default is stored as written; {@code ParameterValues} checks it.
 */
public record ParameterSpec(String name, ColumnType type, String defaultValue, String description) {}

package io.segflow.dsl.model;

/** A declared column of a logical source. */
public record Column(String name, ColumnType type) {}

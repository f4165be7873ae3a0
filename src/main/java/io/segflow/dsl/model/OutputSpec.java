package io.segflow.dsl.model;

/** What a run writes, independent of where. */
public record OutputSpec(int minSegmentSize) {
  public static final OutputSpec DEFAULT = new OutputSpec(1);
}

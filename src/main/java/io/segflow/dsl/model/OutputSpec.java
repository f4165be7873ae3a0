package io.segflow.dsl.model;

/**
 * What a run writes, independent of where.
 *
 * @param minSegmentSize the smallest segment a run may publish
 * @param minSegmentSizeDeclared whether the definition set it, or it is the protective default
 * @param suppressExtremesBelow segments with fewer members publish no min, max or median
 */
public record OutputSpec(int minSegmentSize, boolean minSegmentSizeDeclared, int suppressExtremesBelow) {
  /**
   * The default of both sizes: Google Ads targets an audience of 100 active members or more (LinkedIn
   * 300), and a smaller segment's extremes come close to naming its members.
   */
  public static final int PROTECTIVE_SIZE = 100;

  public static final OutputSpec DEFAULT = new OutputSpec(PROTECTIVE_SIZE, false, PROTECTIVE_SIZE);
}

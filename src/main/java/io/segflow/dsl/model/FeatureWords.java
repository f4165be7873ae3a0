package io.segflow.dsl.model;

import java.util.Optional;

/**
 * How a marketer says that a segment is low or high on a feature ("recent" and "lapsed" for days since the
 * last purchase), which segment labels use instead of "low recency_days".
 */
public record FeatureWords(Optional<String> low, Optional<String> high) {}

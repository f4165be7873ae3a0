package io.segflow.dsl.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated segment definition: everything the compiler needs, nothing about where it was written
 * (positions stay with the YAML document).
 */
public record SegmentDefinition(
    Path file,
    String name,
    String description,
    String entity,
    Map<String, SourceSpec> sources,
    FeaturesSpec features,
    SegmentationSpec segmentation,
    OutputSpec output,
    Map<String, ParameterSpec> parameters,
    Optional<HoldoutSpec> holdout,
    Optional<ConsentSpec> consent,
    Optional<ScheduleSpec> schedule) {

  public SegmentDefinition {
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The same definition writing with other output settings. */
  public SegmentDefinition withOutput(OutputSpec changed) {
    return new SegmentDefinition(file, name, description, entity, sources, features, segmentation, changed,
        parameters, holdout, consent, schedule);
  }
}

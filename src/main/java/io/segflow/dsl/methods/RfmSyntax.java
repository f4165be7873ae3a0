package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.schema.SchemaDefaults;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code method: rfm}: quantile scores of recency, frequency and monetary, segments named from the scores. */
final class RfmSyntax implements MethodSyntax<RfmSpec> {
  private static final SchemaDefaults DEFAULTS = SchemaDefaults.of("rfm");
  private static final List<String> MEASURES = List.of("recency", "frequency", "monetary");

  @Override
  public String method() {
    return "rfm";
  }

  @Override
  public Class<RfmSpec> specType() {
    return RfmSpec.class;
  }

  @Override
  public RfmSpec load(YamlDocument doc, YamlNode.Mapping seg) {
    String recency = YamlFields.requiredString(seg, "recency");
    String frequency = YamlFields.requiredString(seg, "frequency");
    String monetary = YamlFields.requiredString(seg, "monetary");
    List<String> features = YamlFields.strings(seg, "features");
    return new RfmSpec(recency, frequency, monetary,
        Math.toIntExact(DEFAULTS.integerIn(seg, "bins")),
        features.isEmpty() ? List.of(recency, frequency, monetary) : features,
        RulesSyntax.rules(doc, seg, "segments"),
        DEFAULTS.stringIn(seg, "default"));
  }

  @Override
  public List<Diagnostic> check(RfmSpec rfm, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    for (int i = 1; i < MEASURES.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (rfm.measures().get(i).equals(rfm.measures().get(j))) {
          out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("segmentation", MEASURES.get(i))).node().start(),
              DiagnosticCode.RFM_MEASURE_REPEATED, "segmentation." + MEASURES.get(i), "'" + rfm.measures().get(i)
                  + "' is already segmentation." + MEASURES.get(j) + "; each measure needs a column of its own"));
        }
      }
    }
    if (rfm.segments().isEmpty() && rfm.bins() != RfmSpec.CLASSIC_BINS) {
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("segmentation", "bins")).node().start(),
          DiagnosticCode.RFM_BINS_WITHOUT_SEGMENTS, "segmentation.bins", "the classic segments are score ranges"
              + " on 1 to " + RfmSpec.CLASSIC_BINS + ", not 1 to " + rfm.bins() + "; keep bins: "
              + RfmSpec.CLASSIC_BINS + ", or give segmentation.segments, rules over "
              + String.join(", ", RfmSpec.SCORES) + " of your own"));
    }
    if (!rfm.segments().isEmpty()) {
      out.addAll(RulesSyntax.segmentsNamedOnce(rfm.segments(), rfm.defaultSegment(), doc, "segments"));
    } else if (RfmSpec.CLASSIC.stream().anyMatch(s -> s.segment().equals(rfm.defaultSegment()))) {
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("segmentation", "default")).node().start(),
          DiagnosticCode.DUPLICATE_SEGMENT, "segmentation.default", "'" + rfm.defaultSegment()
              + "' is one of the classic segments; name the rest otherwise"));
    }
    return out;
  }

  /** The measures, numeric; the profiled features, of any type. */
  @Override
  public List<RequiredColumn> requiredColumns(RfmSpec rfm) {
    List<RequiredColumn> out = new ArrayList<>();
    for (int i = 0; i < MEASURES.size(); i++) {
      out.add(new RequiredColumn(rfm.measures().get(i), List.of("segmentation", MEASURES.get(i)),
          "segmentation." + MEASURES.get(i), Optional.of("RFM scores rank its values, so it must be a number")));
    }
    out.addAll(RequiredColumn.features(rfm.features(), Optional.empty()));
    return out;
  }

  @Override
  public List<Condition> conditions(RfmSpec rfm) {
    return RulesSyntax.conditions(rfm.segments(), "segments");
  }

  @Override
  public List<String> integerColumns(RfmSpec rfm) {
    return RfmSpec.SCORES;
  }
}

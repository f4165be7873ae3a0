package io.segflow.transforms.rfm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segflow.transforms.model.FittedModel;
import java.util.List;

/**
 * RFM's model as people read it: for each score field, the measure it scores and the range of the measure's
 * values each score holds, in the measure's own units, so a marketer can see that r_score 5 means "bought in
 * the last 12 days". Recency's ranges are {@code at_least} .. {@code below} (smaller is more recent and scores
 * higher), the others' {@code above} .. {@code at_most}; an open end is NULL, and a score whose range is
 * empty (ties across a bound) holds no one.
 *
 * @param measures the recency, frequency and monetary fields, in that order
 */
public record RfmModel(List<String> measures, RfmThresholds thresholds) implements FittedModel {
  /** The JSON field that says which kind of model this is. */
  public static final String KIND = "rfm";
  private static final ObjectMapper JSON = new ObjectMapper();

  public RfmModel {
    measures = List.copyOf(measures);
    if (measures.size() != RfmScores.SCORE_FIELDS.size()) {
      throw new IllegalArgumentException("RfmModel: recency, frequency and monetary expected, got " + measures);
    }
  }

  @Override
  public String toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("kind", KIND);
    json.put("bins", thresholds.bins());
    json.put("entities", thresholds.entities());
    ArrayNode scores = json.putArray("scores");
    for (int m = 0; m < measures.size(); m++) {
      ObjectNode score = scores.addObject();
      score.put("field", RfmScores.SCORE_FIELDS.get(m));
      score.put("measure", measures.get(m));
      ArrayNode ranges = score.putArray("ranges");
      double[] bounds = thresholds.bounds()[m];
      for (int s = 1; s <= thresholds.bins(); s++) {
        // Score s holds the ranked values in (bounds[s - 2], bounds[s - 1]]; recency is ranked negated.
        double lower = s == 1 ? Double.NEGATIVE_INFINITY : bounds[s - 2];
        double upper = s == thresholds.bins() ? Double.POSITIVE_INFINITY : bounds[s - 1];
        ObjectNode range = ranges.addObject().put("score", s);
        if (m == RfmThresholds.RECENCY) {
          put(range, "at_least", 0.0 - upper);
          put(range, "below", 0.0 - lower);
        } else {
          put(range, "above", lower);
          put(range, "at_most", upper);
        }
      }
    }
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("RfmModel cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private static void put(ObjectNode range, String field, double value) {
    if (Double.isFinite(value)) {
      range.put(field, value);
    } else {
      range.putNull(field);
    }
  }
}

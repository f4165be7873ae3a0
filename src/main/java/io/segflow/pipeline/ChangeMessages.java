package io.segflow.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Each change of segment as a Pub/Sub message for activation tools: the change as a JSON object (the
 * entity under its own name, {@code from_segment}, {@code to_segment}, {@code event_time} in ISO 8601 UTC,
 * {@code sequence}, the change's number among its entity's, and {@code model_run_id}), and the attributes {@code definition}, {@code segment} (the new one) and
 * {@code entity}, by which a subscription can filter without reading the data.
 */
final class ChangeMessages extends PTransform<PCollection<Row>, PCollection<PubsubMessage>> {
  private final String definition;
  private final String entity;

  private ChangeMessages(String definition, String entity) {
    this.definition = definition;
    this.entity = entity;
  }

  static ChangeMessages of(String definition, String entity) {
    return new ChangeMessages(definition, entity);
  }

  @Override
  public PCollection<PubsubMessage> expand(PCollection<Row> changes) {
    return changes.apply("ToMessages", ParDo.of(new ToMessageFn(definition, entity)))
        .setCoder(PubsubMessageWithAttributesCoder.of());
  }

  private static final class ToMessageFn extends DoFn<Row, PubsubMessage> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String definition;
    private final String entity;

    ToMessageFn(String definition, String entity) {
      this.definition = definition;
      this.entity = entity;
    }

    @ProcessElement
    public void process(@Element Row change, OutputReceiver<PubsubMessage> out) {
      Object id = change.getValue(entity);
      ObjectNode json = JSON.createObjectNode();
      if (id instanceof Number n) {
        json.put(entity, n.longValue());
      } else {
        json.put(entity, String.valueOf(id));
      }
      json.put("from_segment", change.getString("from_segment"));
      json.put("to_segment", change.getString("to_segment"));
      json.put("event_time", change.getDateTime("event_time").toInstant().toString());
      json.put(StreamingSegments.SEQUENCE, change.getInt64(StreamingSegments.SEQUENCE));
      json.put("model_run_id", change.getString("model_run_id"));
      String to = change.getString("to_segment");
      out.output(new PubsubMessage(json.toString().getBytes(StandardCharsets.UTF_8),
          Map.of("definition", definition, "segment", to, "entity", String.valueOf(id))));
    }
  }
}

package io.segflow.transforms.kmeans;

import io.segflow.transforms.io.RowText;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/** The rejects output: every input row that was not clustered, with why, and the row itself as text. */
public final class Rejects {
  public static final Schema SCHEMA = Schema.builder()
      .addNullableField("entity", Schema.FieldType.STRING)
      .addStringField("reason")
      .addStringField("record")
      .build();

  private Rejects() {}

  static Row of(Object entity, String reason, Row input) {
    return Row.withSchema(SCHEMA).addValues(entity == null ? null : entity.toString(), reason, RowText.of(input)).build();
  }
}

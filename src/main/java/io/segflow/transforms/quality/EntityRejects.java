package io.segflow.transforms.quality;

import io.segflow.transforms.io.RowText;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The rejects of a segmentation transform: each entity it could not segment, with why, and its input row
 * as text. One schema for every method (k-means, RFM scores), as {@code SourceRejects} is for every reader.
 */
public final class EntityRejects {
  public static final Schema SCHEMA = Schema.builder()
      .addNullableField("entity", Schema.FieldType.STRING)
      .addStringField("reason")
      .addStringField("record")
      .build();

  private EntityRejects() {}

  public static Row of(Object entity, String reason, Row input) {
    return Row.withSchema(SCHEMA).addValues(entity == null ? null : entity.toString(), reason, RowText.of(input)).build();
  }
}

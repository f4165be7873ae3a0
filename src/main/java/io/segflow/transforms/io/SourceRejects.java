package io.segflow.transforms.io;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/** The rejects of reading a source: where the record was, what it said, and why it was not read. */
public final class SourceRejects {
  public static final Schema SCHEMA = Schema.builder()
      .addStringField("source")
      .addStringField("file")
      .addNullableField("line", Schema.FieldType.INT64)
      .addStringField("record")
      .addStringField("reason")
      .build();

  private SourceRejects() {}

  static Row of(String source, String file, Long line, String record, String reason) {
    return Row.withSchema(SCHEMA).attachValues(source, file, line, record, reason);
  }
}

package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;

/** Dates and timestamps outside BigQuery's years 1 to 9999 are rejects, not a crash of the read. */
class FieldParserTest {
  private final FieldParser iso = new FieldParser(null, null, "UTC");
  private final Schema.Field at = Schema.Field.of("ordered_at", Schema.FieldType.DATETIME);
  private final Schema.Field day = Schema.Field.of("day", CalciteUtils.DATE);

  @Test
  void aTimestampBeyondTheYear9999IsARejectNotAnOverflow() throws Exception {
    // Java parses it; its milliseconds overflow a long (this crashed the read before).
    assertEquals("ordered_at '+999999999-12-31T23:59:59Z' is outside the range of a TIMESTAMP (years 0001 to 9999)",
        assertThrows(FieldParser.BadValue.class, () -> iso.parse("+999999999-12-31T23:59:59Z", at)).getMessage());
    assertEquals("ordered_at '+999999999-12-31T23:59:59-01:00' is not a TIMESTAMP (ISO 8601)",
        assertThrows(FieldParser.BadValue.class, () -> iso.parse("+999999999-12-31T23:59:59-01:00", at))
            .getMessage());
    assertEquals("ordered_at '0000-12-31T23:59:59Z' is outside the range of a TIMESTAMP (years 0001 to 9999)",
        assertThrows(FieldParser.BadValue.class, () -> iso.parse("0000-12-31T23:59:59Z", at)).getMessage());
    assertEquals(253402300799000L, ((org.joda.time.Instant) iso.parse("9999-12-31T23:59:59Z", at)).getMillis());
  }

  @Test
  void aDateBeyondTheYear9999IsAReject() throws Exception {
    assertEquals("day '+10000-01-01' is outside the range of a DATE (years 0001 to 9999)",
        assertThrows(FieldParser.BadValue.class, () -> iso.parse("+10000-01-01", day)).getMessage());
    assertEquals(LocalDate.of(9999, 12, 31), iso.parse("9999-12-31", day));
  }
}

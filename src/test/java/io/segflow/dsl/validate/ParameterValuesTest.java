package io.segflow.dsl.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segflow.dsl.model.ColumnType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A time parameter's canonical value as the instant Beam SQL reads its literal as (UTC). */
class ParameterValuesTest {
  @Test
  void aCanonicalDateOrTimestampIsItsInstantInUtc() {
    assertEquals(Instant.parse("2011-12-10T00:00:00Z"),
        ParameterValues.instant(ColumnType.DATE, ParameterValues.canonical(ColumnType.DATE, "2011-12-10")));
    assertEquals(Instant.parse("2024-01-01T00:00:00Z"),
        ParameterValues.instant(ColumnType.TIMESTAMP, ParameterValues.canonical(ColumnType.TIMESTAMP, "2024-01-01")));
    assertEquals(Instant.parse("2024-03-05T06:07:08.250Z"), ParameterValues.instant(ColumnType.TIMESTAMP,
        ParameterValues.canonical(ColumnType.TIMESTAMP, "2024-03-05T06:07:08.250")));
    assertThrows(IllegalArgumentException.class, () -> ParameterValues.instant(ColumnType.INT64, "7"));
  }
}

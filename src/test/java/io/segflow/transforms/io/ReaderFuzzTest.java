package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Coverage-guided fuzzing of what reads a user's files: any text splits into records that account for its
 * lines, and any field text becomes a value of its declared type or a reject with a reason, never another
 * exception. {@code mvn test} replays the inputs under {@code ReaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes for the given duration (.ci/run does, briefly).
 */
class ReaderFuzzTest {
  private static final List<Schema.FieldType> TYPES = List.of(Schema.FieldType.STRING, Schema.FieldType.INT64,
      Schema.FieldType.DOUBLE, Schema.FieldType.DECIMAL, Schema.FieldType.BOOLEAN, Schema.FieldType.DATETIME,
      CalciteUtils.DATE);

  @FuzzTest(maxDuration = "30s")
  void anyTextSplitsIntoRecordsThatAccountForItsLines(FuzzedDataProvider data) throws IOException {
    char delimiter = data.pickValue(List.of(',', ';', '\t', '|'));
    String text = data.consumeRemainingAsString();
    long lines = text.isEmpty() ? 0 : text.split("\r\n|\r|\n", -1).length;
    CsvRecords records = new CsvRecords(new BufferedReader(new StringReader(text)), delimiter);
    long previous = 0;
    for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
      assertTrue(r.line() > previous, "records go forward: line " + r.line() + " after " + previous);
      assertTrue(r.line() <= lines, "line " + r.line() + " of a text of " + lines + " lines");
      assertTrue(r.problem() != null || r.fields() != null, "a record has fields or a problem");
      previous = r.line();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void anyFieldTextIsAValueOfItsTypeOrARejectWithAReason(FuzzedDataProvider data) {
    Schema.FieldType type = data.pickValue(TYPES);
    boolean patterns = data.consumeBoolean();
    FieldParser parser = patterns ? new FieldParser("dd/MM/yyyy", "dd/MM/yyyy HH:mm", "Europe/London")
        : new FieldParser(null, null, "UTC");
    Schema.Field field = Schema.Field.of("f", type);
    String text = data.consumeRemainingAsString();
    try {
      Object value = parser.parse(text, field);
      assertNotNull(value, "a parsed field has a value");
      if (value instanceof Double d) {
        assertTrue(Double.isFinite(d), "FLOAT64 " + text + " parsed to " + d);
      }
    } catch (FieldParser.BadValue rejected) {
      assertFalse(rejected.getMessage().isBlank(), "a reject says why");
    }
  }
}

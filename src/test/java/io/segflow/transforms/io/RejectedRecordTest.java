package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;

/** A field read back from a reject's record, and never a wrong one when the record reads two ways. */
class RejectedRecordTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("customer_id").addStringField("email")
      .addStringField("note").addDoubleField("amount").build();
  private static final List<String> PERSONAL = List.of("email");

  private static String record(String... texts) {
    return RejectedRecord.of(SCHEMA, PERSONAL, f -> texts[f]);
  }

  @Test
  void eachKeptFieldReadsBack() {
    String record = record("c1", "a@b.c", "fine, thanks", "12x");
    assertEquals("customer_id=c1, note=fine, thanks, amount=12x", record);
    assertEquals(Optional.of("c1"), RejectedRecord.field(record, SCHEMA, PERSONAL, "customer_id"));
    assertEquals(Optional.of("fine, thanks"), RejectedRecord.field(record, SCHEMA, PERSONAL, "note"));
    assertEquals(Optional.of("12x"), RejectedRecord.field(record, SCHEMA, PERSONAL, "amount"));
  }

  @Test
  void personalAbsentAndNullFieldsReadAsNothing() {
    String record = record(null, "a@b.c", "x", "1");
    assertEquals(Optional.empty(), RejectedRecord.field(record, SCHEMA, PERSONAL, "customer_id"));
    assertEquals(Optional.empty(), RejectedRecord.field(record, SCHEMA, PERSONAL, "email"));
    assertEquals(Optional.empty(), RejectedRecord.field(record, SCHEMA, PERSONAL, "no_such_field"));
    assertEquals(Optional.empty(), RejectedRecord.field("", SCHEMA, PERSONAL, "customer_id"));
  }

  @Test
  void aValueThatMimicsAFieldMakesTheRecordUnreadable() {
    // A note that says ", amount=" could end the note early, and one that says ", customer_id=" could name
    // another customer; both are refused rather than guessed.
    String early = record("c1", "e", "x, amount=5", "7");
    assertEquals(Optional.empty(), RejectedRecord.field(early, SCHEMA, PERSONAL, "note"));
    String spoof = record("c1, customer_id=c2", "e", "n", "7");
    assertEquals(Optional.empty(), RejectedRecord.field(spoof, SCHEMA, PERSONAL, "customer_id"));
  }
}

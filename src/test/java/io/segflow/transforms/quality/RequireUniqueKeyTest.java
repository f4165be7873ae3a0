package io.segflow.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.batching.ShardingOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequireUniqueKeyTest {
  private static final Schema SCHEMA = Schema.builder().addNullableField("customer_id", Schema.FieldType.INT64)
      .addDoubleField("spend").build();

  private static Pipeline pipeline(int shards) {
    ShardingOptions options = PipelineOptionsFactory.as(ShardingOptions.class);
    options.setShards(shards);
    return Pipeline.create(options);
  }

  private static List<Row> customers(int n) {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues(i, 1.0 * i).build());
    }
    return rows;
  }

  @ParameterizedTest(name = "shards {0}")
  @ValueSource(ints = {0, 1, 8})
  void uniqueKeysPassAndARepeatedOneFailsNamingItsCount(int shards) {
    Pipeline unique = pipeline(shards);
    PAssert.that(unique.apply(Create.of(customers(1000)).withRowSchema(SCHEMA))
        .apply(RequireUniqueKey.of("customer_id", "the features"))).empty();
    unique.run().waitUntilFinish();

    List<Row> rows = customers(1000);
    rows.add(Row.withSchema(SCHEMA).addValues(417L, 2.0).build());
    rows.add(Row.withSchema(SCHEMA).addValues(417L, 3.0).build());
    Pipeline repeated = pipeline(shards);
    repeated.apply(Create.of(rows).withRowSchema(SCHEMA)).apply(RequireUniqueKey.of("customer_id", "the features"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> repeated.run().waitUntilFinish());
    String message = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
    assertTrue(message.contains("customer_id '417' is on 3 rows of the features; each customer_id must be on one row"),
        message);
  }

  @ParameterizedTest(name = "shards {0}")
  @ValueSource(ints = {0, 8})
  void twoNullKeysAreARepeatToo(int shards) {
    List<Row> rows = customers(10);
    rows.add(Row.withSchema(SCHEMA).addValues(null, 2.0).build());
    rows.add(Row.withSchema(SCHEMA).addValues(null, 3.0).build());
    Pipeline p = pipeline(shards);
    p.apply(Create.of(rows).withRowSchema(SCHEMA)).apply(RequireUniqueKey.of("customer_id", "the features"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());
    String message = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
    assertTrue(message.contains("customer_id 'null' is on 2 rows"), message);
  }
}

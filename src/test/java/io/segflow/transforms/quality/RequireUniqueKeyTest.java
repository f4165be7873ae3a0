package io.segflow.transforms.quality;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.testing.TestRunners;
import io.segflow.transforms.batching.ShardingOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The check on the DirectRunner with its shards (and with none, as other runners have) and on embedded Flink
 * (4,096 shards over two tasks), with the default buffer and one so small that every few keys leave
 * mid-bundle: unique keys pass, a repeated key fails naming its count, wherever its rows are.
 */
class RequireUniqueKeyTest {
  private static final Schema SCHEMA = Schema.builder().addNullableField("customer_id", Schema.FieldType.INT64)
      .addDoubleField("spend").build();

  private static Pipeline pipeline(String runner, int shards) {
    PipelineOptions options = TestRunners.named(runner);
    if (runner.equals("direct")) {
      options.as(ShardingOptions.class).setShards(shards);
    }
    return Pipeline.create(options);
  }

  private static RequireUniqueKey check(int bufferedBytes) {
    RequireUniqueKey check = RequireUniqueKey.of("customer_id", "the features");
    return bufferedBytes > 0 ? check.withBufferedBytes(bufferedBytes) : check;
  }

  private static List<Row> customers(int n) {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues(i, 1.0 * i).build());
    }
    return rows;
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  @ParameterizedTest(name = "{0}, shards {1}, buffer {2}")
  @CsvSource({"direct,0,0", "direct,1,0", "direct,8,0", "direct,8,64", "flink,0,0", "flink,0,64"})
  void uniqueKeysPassAndARepeatedOneFailsNamingItsCount(String runner, int shards, int bufferedBytes) {
    Pipeline unique = pipeline(runner, shards);
    PAssert.that(unique.apply(Create.of(customers(20_000)).withRowSchema(SCHEMA)).apply(check(bufferedBytes)))
        .empty();
    unique.run().waitUntilFinish();

    List<Row> rows = customers(20_000);
    rows.add(Row.withSchema(SCHEMA).addValues(417L, 2.0).build());
    rows.add(Row.withSchema(SCHEMA).addValues(417L, 3.0).build());
    Collections.shuffle(rows, new Random(3)); // the repeats in different bundles and batches
    Pipeline repeated = pipeline(runner, shards);
    repeated.apply(Create.of(rows).withRowSchema(SCHEMA)).apply(check(bufferedBytes));
    RuntimeException e = assertThrows(RuntimeException.class, () -> repeated.run().waitUntilFinish());
    String message = messages(e);
    assertTrue(message.contains("customer_id '417' is on 3 rows of the features; each customer_id must be on one row"),
        message);
  }

  @ParameterizedTest(name = "{0}, shards {1}")
  @CsvSource({"direct,0", "direct,8", "flink,0"})
  void twoNullKeysAreARepeatToo(String runner, int shards) {
    List<Row> rows = customers(10);
    rows.add(Row.withSchema(SCHEMA).addValues(null, 2.0).build());
    rows.add(Row.withSchema(SCHEMA).addValues(null, 3.0).build());
    Pipeline p = pipeline(runner, shards);
    p.apply(Create.of(rows).withRowSchema(SCHEMA)).apply(RequireUniqueKey.of("customer_id", "the features"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());
    assertTrue(messages(e).contains("customer_id 'null' is on 2 rows"), messages(e));
  }
}

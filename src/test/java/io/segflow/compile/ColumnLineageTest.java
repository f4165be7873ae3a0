package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which source columns reach each output column, as the personal-data check sees them. */
class ColumnLineageTest {
  private static final Map<String, Schema> TABLES = Map.of(
      "people", Schema.builder().addNullableField("id", Schema.FieldType.STRING)
          .addNullableField("email", Schema.FieldType.STRING).addNullableField("age", Schema.FieldType.INT64).build(),
      "orders", Schema.builder().addNullableField("id", Schema.FieldType.STRING)
          .addNullableField("amount", Schema.FieldType.DOUBLE).build());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', value = {
      "SELECT id, email FROM people # id=people.id; email=people.email",
      "SELECT id, UPPER(email) AS e FROM people # e=people.email; id=people.id",
      "SELECT x FROM (SELECT SUBSTRING(email, 2) AS x FROM people) # x=people.email",
      "SELECT id FROM people UNION ALL SELECT email FROM people # id=people.email,people.id",
      "SELECT p.id, SUM(o.amount) + MAX(p.age) AS v FROM people p JOIN orders o ON p.id = o.id GROUP BY p.id"
          + " # id=people.id; v=orders.amount,people.age",
      // One-way: a hash, a count, a condition.
      "SELECT TO_HEX(SHA256(email)) AS k, COUNT(email) AS n FROM people GROUP BY TO_HEX(SHA256(email)) # k=; n=",
      "SELECT id, COUNT(*) AS n FROM people WHERE email LIKE '%@x.org' GROUP BY id # id=people.id; n=",
      "SELECT id, SHA512(email || id) AS h FROM people # h=; id=people.id",
      // A hash of a hash's input mixed with the raw value is not one-way.
      "SELECT TO_HEX(SHA256(email)) || email AS h FROM people # h=people.email",
  })
  void followsEachOutputColumnToItsSourceColumns(String sql, String expected) {
    SqlPreflight.Planned planned = new SqlPreflight().plan(SegflowSql.rewrite(sql, Map.of()), TABLES);
    assertEquals(Optional.empty(), planned.problem().map(SqlProblem::message), sql);
    Map<String, String> lineage = new TreeMap<>();
    planned.query().orElseThrow().lineage().forEach((column, origins) -> lineage.put(column,
        origins.map(o -> String.join(",", new java.util.TreeSet<>(o.stream().map(Object::toString).toList())))
            .orElse("?")));
    Map<String, String> wanted = new TreeMap<>();
    for (String pair : expected.split(";")) {
      String[] kv = pair.trim().split("=", -1);
      wanted.put(kv[0], kv[1]);
    }
    assertEquals(wanted, lineage, sql);
  }

  @org.junit.jupiter.api.Test
  void countDistinctIsACount() {
    SqlPreflight.Planned planned = new SqlPreflight().plan(
        SegflowSql.rewrite("SELECT id, COUNT(DISTINCT email) AS emails FROM people GROUP BY id", Map.of()), TABLES);
    assertEquals(Optional.of(Set.of()), planned.query().orElseThrow().lineage().get("emails"));
  }
}

package io.segflow.compile;

import java.util.Map;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The SQL dialect segflow accepts: Beam SQL (Calcite) plus what analysts write for customer features that
 * Beam SQL lacks, with BigQuery's names and semantics: {@code COUNT(DISTINCT x)}, {@code STDDEV},
 * {@code STDDEV_SAMP}, {@code STDDEV_POP}, {@code MEDIAN}, {@code PERCENTILE_CONT(x, p)}, {@code DATE_DIFF},
 * {@code TIMESTAMP_DIFF}, {@code DATE_TRUNC}, {@code TIMESTAMP_TRUNC}, and {@code @parameters}. Validation
 * and runs both build their SqlTransform here, so what validates is what runs; {@link RewrittenSql} maps
 * every position back to what the analyst wrote.
 */
public final class SegflowSql {
  private SegflowSql() {}

  /**
   * The SQL as Beam SQL will plan it.
   *
   * @param parameters each parameter's name and SQL literal ({@link SqlParameters#literals})
   * @throws SqlRewriter.Problem where a construct is used wrongly
   */
  public static RewrittenSql rewrite(String sql, Map<String, String> parameters) {
    return SqlRewriter.rewrite(sql, parameters);
  }

  /** A query with no parameters. */
  public static SqlTransform transform(String sql) {
    return transform(rewrite(sql, Map.of()));
  }

  /** SQL segflow wrote from an already rewritten query (a stream's halves of it), planned as the rest is. */
  public static SqlTransform transformOfRewritten(String rewrittenSql) {
    return SqlTransform.query(rewrittenSql).withQueryPlannerClass(SegflowQueryPlanner.class);
  }

  public static SqlTransform transform(RewrittenSql sql) {
    SqlTransform transform = SqlTransform.query(sql.text()).withQueryPlannerClass(SegflowQueryPlanner.class);
    for (Map.Entry<String, Combine.CombineFn<?, ?, ?>> fn : sql.aggregates().entrySet()) {
      transform = transform.registerUdaf(fn.getKey(), fn.getValue());
    }
    return transform;
  }
}

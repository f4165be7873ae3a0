package io.segflow.compile;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code pii: true} source columns out of the features query's output, and so out of every output
 * and reject the run writes: a column that carries one is refused unless it only reaches the output through
 * a one-way function ({@link ColumnLineage}).
 */
final class PersonalDataChecks {
  private PersonalDataChecks() {}

  static List<Diagnostic> check(SegmentDefinition def, String field,
      Map<String, Optional<Set<ColumnLineage.SourceColumn>>> lineage) {
    Set<ColumnLineage.SourceColumn> personal = new TreeSet<>();
    def.sources().values().forEach(source -> source.columns().stream().filter(Column::pii)
        .forEach(c -> personal.add(new ColumnLineage.SourceColumn(source.name(), c.name()))));
    if (personal.isEmpty()) {
      return List.of();
    }
    SqlText sql = def.features().sql();
    List<Diagnostic> out = new ArrayList<>();
    lineage.forEach((column, origins) -> {
      String message;
      if (origins.isEmpty()) {
        message = "cannot tell which source columns '" + column + "' is made of (Calcite has no lineage for it), "
            + "and " + describe(personal) + " declared pii: true; compute it another way, or leave the pii "
            + "columns out of this definition";
      } else {
        Set<ColumnLineage.SourceColumn> carried = new TreeSet<>(origins.get());
        carried.retainAll(personal);
        if (carried.isEmpty()) {
          return;
        }
        message = "'" + column + "' carries " + describe(carried) + ", declared pii: true; personal data may not "
            + "reach the outputs: hash it (TO_HEX(SHA256(" + carried.iterator().next().column() + "))), count it, "
            + "or leave it out";
      }
      int[] at = RewrittenSql.lineColumn(sql.text(), offsetOf(sql.text(), column));
      out.add(Diagnostic.error(sql.origin().displayPath(), sql.origin().map(at[0], at[1]),
          DiagnosticCode.PII_IN_FEATURES, field, message));
    });
    return out;
  }

  private static String describe(Set<ColumnLineage.SourceColumn> columns) {
    return (columns.size() == 1 ? "" : "columns ") + String.join(", ", columns.stream().map(Object::toString).toList());
  }

  /** Where the query names an output column: its {@code AS name}, else its first mention, else the start. */
  private static int offsetOf(String sql, String column) {
    String name = Pattern.quote(column);
    Matcher alias = Pattern.compile("(?i)\\bAS\\s+[`\"]?(" + name + ")\\b").matcher(sql);
    if (alias.find()) {
      return alias.start(1);
    }
    Matcher mention = Pattern.compile("(?i)\\b" + name + "\\b").matcher(sql);
    return mention.find() ? mention.start() : 0;
  }
}

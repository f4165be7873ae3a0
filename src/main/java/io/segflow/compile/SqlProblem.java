package io.segflow.compile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime.CalciteContextException;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException;

/**
 * What went wrong when Beam SQL planned a query, with the 1-based line and column inside the SQL text.
 * Calcite gives positions for syntax and validation errors; planning errors (things Beam SQL cannot run)
 * come without one, so they are located by searching the SQL for the construct named.
 */
record SqlProblem(Kind kind, int line, int column, String message) {

  enum Kind {
    SYNTAX,
    INVALID,
    UNSUPPORTED
  }

  /** What to write instead of what Beam SQL lacks, keyed by the construct's name as the SQL spells it. */
  private record Hint(String mentioned, Pattern where, String advice) {}

  /** Calcite's words when no plan exists, which say nothing to an analyst. */
  private static final String PLANNER_GAVE_UP = "NOT ENOUGH RULES TO PRODUCE A NODE";

  private static final java.util.List<Hint> HINTS = java.util.List.of(
      new Hint("COUNT DISTINCT", Pattern.compile("(?i)\\bAPPROX_COUNT_DISTINCT\\s*\\("),
          "write COUNT(DISTINCT x), which segflow computes exactly"),
      new Hint("ORDER BY", Pattern.compile("(?i)\\bORDER\\s+BY\\b"),
          "Beam SQL needs a LIMIT with ORDER BY; the features query's row order does not matter, so drop it"),
      new Hint("PERCENTILE", Pattern.compile("(?i)\\bPERCENTILE_DISC\\b"),
          "write the aggregate PERCENTILE_CONT(x, p), or MEDIAN(x)"),
      new Hint("APPROX_QUANTILES", Pattern.compile("(?i)\\bAPPROX_QUANTILES\\s*\\("),
          "write the aggregate PERCENTILE_CONT(x, p), or MEDIAN(x); segflow computes them exactly"),
      new Hint("DATEDIFF", Pattern.compile("(?i)\\bDATEDIFF\\s*\\("),
          "write BigQuery's DATE_DIFF(end_date, start_date, DAY) or TIMESTAMP_DIFF(end, start, HOUR)"),
      new Hint(PLANNER_GAVE_UP, Pattern.compile("(?i)\\b(NTILE|CUME_DIST|LAG|LEAD|PERCENT_RANK|RANK|DENSE_RANK|ROW_NUMBER"
          + "|PERCENTILE_CONT|FIRST_VALUE|LAST_VALUE)\\s*\\("),
          "Beam SQL cannot run this window function here (over aggregated rows, or with ORDER BY a timestamp); "
              + "score customers in the segmentation instead: method: rules with thresholds, or k-means"),
      new Hint("CROSS JOIN", Pattern.compile("(?i)\\bCROSS\\s+JOIN\\b"),
          "Beam SQL has no CROSS JOIN: join on a constant key (1 AS k on both sides)"));

  static SqlProblem of(Throwable failure, String sql) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException parse) {
        String message = firstLine(parse.getMessage()).replaceAll(" at line \\d+, column \\d+\\.?$", "");
        return new SqlProblem(Kind.SYNTAX, parse.getPos().getLineNum(), parse.getPos().getColumnNum(),
            "syntax error: " + message + reservedWordAdvice(message));
      }
      if (t instanceof CalciteContextException context) {
        String message = context.getCause() != null ? context.getCause().getMessage() : context.getMessage();
        return withHint(new SqlProblem(Kind.INVALID, context.getPosLine(), context.getPosColumn(),
            firstLine(message)), sql);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String message = innermostMessage(failure);
    if (message.toUpperCase(Locale.ROOT).contains(PLANNER_GAVE_UP)) {
      message = "Beam SQL cannot plan this query (" + PLANNER_GAVE_UP.toLowerCase(Locale.ROOT) + ")";
    }
    return withHint(locate(new SqlProblem(Kind.UNSUPPORTED, 1, 1, message), sql), sql);
  }

  private static final Pattern ENCOUNTERED_WORD = Pattern.compile("^Encountered \"([A-Za-z_][A-Za-z0-9_]*)\"");

  /**
   * A column named like a reserved word (day, date, year, value, ...) is the usual cause of a syntax error on
   * a word: the parser read it as the keyword. Says to quote it, as the parser that failed knows its words.
   */
  private static String reservedWordAdvice(String message) {
    Matcher word = ENCOUNTERED_WORD.matcher(message);
    if (!word.find()) {
      return "";
    }
    String w = word.group(1);
    boolean reserved = org.apache.beam.sdk.extensions.sql.impl.parser.impl.BeamSqlParserImpl.FACTORY
        .getParser(new java.io.StringReader("")).getMetadata().isReservedWord(w.toUpperCase(Locale.ROOT));
    return reserved ? "; " + w + " is a reserved word of SQL: to mean a column or alias named so, quote it as `"
        + w + "`" : "";
  }

  /** Adds the advice for a construct Beam SQL lacks when the problem sits on it. */
  private static SqlProblem withHint(SqlProblem problem, String sql) {
    for (Hint hint : HINTS) {
      Matcher m = hint.where.matcher(sql);
      while (m.find()) {
        int[] lc = RewrittenSql.lineColumn(sql, m.start());
        if (problem.kind == Kind.UNSUPPORTED ? lc[0] == problem.line && lc[1] == problem.column
            : lc[0] == problem.line && Math.abs(lc[1] - problem.column) <= 1) {
          return new SqlProblem(problem.kind, problem.line, problem.column, problem.message + "; " + hint.advice);
        }
      }
    }
    return problem;
  }

  /** Points a problem without a position at the first construct its message names. */
  private static SqlProblem locate(SqlProblem problem, String sql) {
    String message = problem.message.toUpperCase(Locale.ROOT);
    for (Hint hint : HINTS) {
      Matcher found = hint.where.matcher(sql);
      if (message.contains(hint.mentioned) && found.find()) {
        int[] lc = RewrittenSql.lineColumn(sql, found.start());
        return new SqlProblem(problem.kind, lc[0], lc[1], problem.message);
      }
    }
    return problem;
  }

  private static String innermostMessage(Throwable failure) {
    String message = null;
    for (Throwable t = failure; t != null && message == null; t = t.getCause()) {
      if (t.getCause() == null || t.getCause() == t) {
        message = t.getMessage();
      }
    }
    message = message == null ? failure.toString() : message;
    return firstLine(message).replaceAll("\\s*!$", "");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}

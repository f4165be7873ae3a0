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

  private static final java.util.List<Hint> HINTS = java.util.List.of(
      new Hint("COUNT DISTINCT", Pattern.compile("(?i)\\bCOUNT\\s*\\(\\s*DISTINCT\\b"),
          "write COUNT(DISTINCT x) with a space after DISTINCT and the value on the same line, as segflow "
              + "rewrites that form; or count the rows of SELECT DISTINCT k, x in a subquery"),
      new Hint("STDDEV", Pattern.compile("(?i)\\bSTDDEV(_POP|_SAMP)?\\s*\\("),
          "Beam SQL has no STDDEV: write SQRT(VAR_SAMP(x)) (or SQRT(VAR_POP(x)))"),
      new Hint("ORDER BY", Pattern.compile("(?i)\\bORDER\\s+BY\\b"),
          "Beam SQL needs a LIMIT with ORDER BY; the features query's row order does not matter, so drop it"),
      new Hint("PERCENTILE", Pattern.compile("(?i)\\bPERCENTILE_(CONT|DISC)\\b"),
          "Beam SQL has no percentiles; compute medians and quantiles in the profile, not in features SQL"),
      new Hint("DATE_TRUNC", Pattern.compile("(?i)\\bDATE_TRUNC\\s*\\("),
          "Beam SQL has no DATE_TRUNC: write FLOOR(ts TO DAY) (or TO MONTH, TO YEAR)"),
      new Hint("DATE_DIFF", Pattern.compile("(?i)\\bDATE_DIFF\\s*\\(|\\bDATEDIFF\\s*\\("),
          "Beam SQL has no DATE_DIFF: write TIMESTAMPDIFF(DAY, start_ts, end_ts)"),
      new Hint("NOT SUPPORTED", Pattern.compile("(?i)\\b(NTILE|CUME_DIST|LAG|LEAD)\\s*\\("),
          "Beam SQL cannot run this window function over the features; compute scores in the segmentation step"),
      new Hint("CROSS JOIN", Pattern.compile("(?i)\\bCROSS\\s+JOIN\\b"),
          "Beam SQL has no CROSS JOIN: join on a constant key (1 AS k on both sides)"));

  static SqlProblem of(Throwable failure, String sql) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException parse) {
        String message = firstLine(parse.getMessage()).replaceAll(" at line \\d+, column \\d+\\.?$", "");
        return new SqlProblem(Kind.SYNTAX, parse.getPos().getLineNum(), parse.getPos().getColumnNum(),
            "syntax error: " + message);
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
    return withHint(locate(new SqlProblem(Kind.UNSUPPORTED, 1, 1, message), sql), sql);
  }

  /** Adds the advice for a construct Beam SQL lacks when the problem sits on it. */
  private static SqlProblem withHint(SqlProblem problem, String sql) {
    for (Hint hint : HINTS) {
      Matcher m = hint.where.matcher(sql);
      while (m.find()) {
        int[] lc = lineColumn(sql, m.start());
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
        int[] lc = lineColumn(sql, found.start());
        return new SqlProblem(problem.kind, lc[0], lc[1], problem.message);
      }
    }
    return problem;
  }

  private static int[] lineColumn(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
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

package io.segflow.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Rewrites what analysts write and Beam SQL lacks into what Beam SQL runs, keeping the way back to every
 * original position ({@link RewrittenSql}). Works on tokens, so text inside strings, quoted identifiers and
 * comments is never touched.
 *
 * <ul>
 *   <li>{@code @name}: a definition parameter, as its typed literal.
 *   <li>{@code COUNT(DISTINCT x)}, {@code STDDEV}/{@code STDDEV_SAMP}/{@code STDDEV_POP(x)},
 *       {@code MEDIAN(x)}, {@code PERCENTILE_CONT(x, p)}: aggregates segflow registers.
 *   <li>{@code DATE_DIFF(a, b, part)}, {@code TIMESTAMP_DIFF(a, b, part)}, {@code DATE_TRUNC(x, part)},
 *       {@code TIMESTAMP_TRUNC(x, part)}: BigQuery's date functions, as Calcite's TIMESTAMPDIFF and FLOOR.
 * </ul>
 */
final class SqlRewriter {
  /** A construct segflow cannot rewrite, at an offset of the original SQL. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int offset;

    Problem(int offset, String message) {
      super(message);
      this.offset = offset;
    }
  }

  /** The aggregate COUNT(DISTINCT x) is planned as. */
  static final String COUNT_DISTINCT = "SF_COUNT_DISTINCT";
  private static final Set<String> DATE_PARTS = Set.of("DAY", "WEEK", "MONTH", "QUARTER", "YEAR");
  private static final Set<String> TIMESTAMP_DIFF_PARTS = Set.of("SECOND", "MINUTE", "HOUR", "DAY");
  private static final Set<String> TIMESTAMP_TRUNC_PARTS =
      Set.of("SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR");

  private enum Type { WORD, PARAM, LPAREN, RPAREN, COMMA, NUMBER, STRING, QUOTED, OTHER }

  private record Token(Type type, int start, int end) {}

  private final String sql;
  private final Map<String, String> parameters;
  private final List<Token> tokens;
  private final StringBuilder text = new StringBuilder();
  private final List<RewrittenSql.Piece> pieces = new ArrayList<>();
  private final Map<String, Combine.CombineFn<?, ?, ?>> aggregates = new LinkedHashMap<>();
  private final Map<String, String> spelledAs = new LinkedHashMap<>();
  private final Map<Double, String> percentiles = new LinkedHashMap<>();

  private SqlRewriter(String sql, Map<String, String> parameters) {
    this.sql = sql;
    this.parameters = parameters;
    this.tokens = tokenize(sql);
  }

  /**
   * @param parameters each parameter's name (without {@code @}) and SQL literal
   * @throws Problem where the SQL uses a construct wrongly (an unknown parameter, a bad date part, ...)
   */
  static RewrittenSql rewrite(String sql, Map<String, String> parameters) {
    SqlRewriter r = new SqlRewriter(sql, parameters);
    int end = r.rewrite(0, r.tokens.size(), 0);
    r.copy(end, sql.length());
    return new RewrittenSql(r.text.toString(), r.pieces, r.aggregates, r.spelledAs);
  }

  /** Rewrites tokens [from, to), copying the original from {@code cursor}; returns where copying stopped. */
  private int rewrite(int from, int to, int cursor) {
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.type == Type.PARAM) {
        copy(cursor, t.start);
        write(parameter(t), t.start);
        cursor = t.end;
        continue;
      }
      if (t.type != Type.WORD || i + 1 >= to || tokens.get(i + 1).type != Type.LPAREN) {
        continue;
      }
      int close = matching(i + 1, to);
      if (close < 0) {
        continue; // unbalanced: the parser says where
      }
      String name = text(t).toUpperCase(Locale.ROOT);
      boolean window = close + 1 < to && tokens.get(close + 1).type == Type.WORD
          && text(tokens.get(close + 1)).equalsIgnoreCase("OVER");
      if (window || !isRewritten(name, i + 2, close)) {
        continue;
      }
      copy(cursor, t.start);
      function(name, t, i + 2, close);
      cursor = tokens.get(close).end;
      i = close;
    }
    return cursor;
  }

  private boolean isRewritten(String name, int argsFrom, int close) {
    return switch (name) {
      case "COUNT" -> argsFrom < close && tokens.get(argsFrom).type == Type.WORD
          && text(tokens.get(argsFrom)).equalsIgnoreCase("DISTINCT");
      case "STDDEV", "STDDEV_SAMP", "STDDEV_POP", "MEDIAN", "PERCENTILE_CONT", "DATE_DIFF", "TIMESTAMP_DIFF",
          "DATE_TRUNC", "TIMESTAMP_TRUNC" -> true;
      default -> false;
    };
  }

  private void function(String name, Token at, int argsFrom, int close) {
    String spelled = text(at);
    if (name.equals("COUNT")) {
      // COUNT(DISTINCT x): Beam SQL cannot plan it; the aggregate over x's text can.
      write(COUNT_DISTINCT + "(", at.start);
      aggregate(COUNT_DISTINCT, new SqlFunctions.CountDistinctFn(), "COUNT(DISTINCT ...)");
      int cursor = rewrite(argsFrom + 1, close, tokens.get(argsFrom + 1 < close ? argsFrom + 1 : close).start);
      copy(cursor, tokens.get(close).end);
      return;
    }
    List<int[]> args = arguments(argsFrom, close);
    switch (name) {
      case "STDDEV", "STDDEV_SAMP", "STDDEV_POP" -> {
        expectArguments(spelled, args, 1, "x", at);
        boolean pop = name.equals("STDDEV_POP");
        String fn = pop ? "SF_STDDEV_POP" : "SF_STDDEV_SAMP";
        aggregate(fn, new SqlFunctions.StddevFn(!pop), spelled);
        doubleAggregate(fn, args.get(0), at, close);
      }
      case "MEDIAN" -> {
        expectArguments(spelled, args, 1, "x", at);
        String fn = percentile(0.5, spelled);
        doubleAggregate(fn, args.get(0), at, close);
      }
      case "PERCENTILE_CONT" -> {
        expectArguments(spelled, args, 2, "x, p", at);
        int[] p = args.get(1);
        Token literal = tokens.get(p[0]);
        double value = Double.NaN;
        if (p[1] - p[0] == 1 && literal.type == Type.NUMBER) {
          try {
            value = Double.parseDouble(text(literal));
          } catch (NumberFormatException e) {
            value = Double.NaN;
          }
        }
        if (!(value >= 0 && value <= 1)) {
          throw new Problem(tokens.get(p[0]).start, spelled + "'s second argument must be a number from 0 to 1 "
              + "written as a literal (0.5 for the median), got " + sql.substring(tokens.get(p[0]).start,
              tokens.get(p[1] - 1).end));
        }
        doubleAggregate(percentile(value, spelled), args.get(0), at, close);
      }
      case "DATE_DIFF" -> {
        expectArguments(spelled, args, 3, "end_date, start_date, part", at);
        String part = part(spelled, args.get(2), DATE_PARTS);
        // BigQuery counts the part boundaries crossed: the difference of the truncated dates.
        String floor = part.equals("DAY") ? "" : "FLOOR(";
        String to = part.equals("DAY") ? "" : " TO " + part + ")";
        write("TIMESTAMPDIFF(" + part + ", " + floor + "CAST((", at.start);
        argument(args.get(1));
        write(") AS DATE)" + to + ", " + floor + "CAST((", at.start);
        argument(args.get(0));
        write(") AS DATE)" + to + ")", at.start);
      }
      case "TIMESTAMP_DIFF" -> {
        expectArguments(spelled, args, 3, "end_timestamp, start_timestamp, part", at);
        String part = part(spelled, args.get(2), TIMESTAMP_DIFF_PARTS);
        // BigQuery counts whole parts between the two, truncating, as TIMESTAMPDIFF does.
        write("TIMESTAMPDIFF(" + part + ", CAST((", at.start);
        argument(args.get(1));
        write(") AS TIMESTAMP), CAST((", at.start);
        argument(args.get(0));
        write(") AS TIMESTAMP))", at.start);
      }
      case "DATE_TRUNC", "TIMESTAMP_TRUNC" -> {
        boolean date = name.equals("DATE_TRUNC");
        expectArguments(spelled, args, 2, date ? "date, part" : "timestamp, part", at);
        String part = part(spelled, args.get(1), date ? DATE_PARTS : TIMESTAMP_TRUNC_PARTS);
        write("FLOOR(CAST((", at.start);
        argument(args.get(0));
        write(") AS " + (date ? "DATE" : "TIMESTAMP") + ") TO " + part + ")", at.start);
      }
      default -> throw new IllegalStateException(name);
    }
  }

  /** {@code fn(CAST((x) AS DOUBLE))}: segflow's numeric aggregates take DOUBLE, whatever x's type. */
  private void doubleAggregate(String fn, int[] arg, Token at, int close) {
    write(fn + "(CAST((", at.start);
    argument(arg);
    write(") AS DOUBLE))", tokens.get(close).start);
  }

  private String percentile(double p, String spelled) {
    String fn = percentiles.computeIfAbsent(p, k -> "SF_PERCENTILE_" + (percentiles.size() + 1));
    aggregate(fn, new SqlFunctions.PercentileFn(p), spelled);
    return fn;
  }

  private void aggregate(String fn, Combine.CombineFn<?, ?, ?> combine, String spelled) {
    aggregates.putIfAbsent(fn, combine);
    spelledAs.putIfAbsent(fn, spelled);
  }

  private void argument(int[] range) {
    int start = tokens.get(range[0]).start;
    int end = tokens.get(range[1] - 1).end;
    copy(rewrite(range[0], range[1], start), end);
  }

  private String part(String function, int[] arg, Set<String> allowed) {
    Token t = tokens.get(arg[0]);
    String part = arg[1] - arg[0] == 1 && t.type == Type.WORD ? text(t).toUpperCase(Locale.ROOT) : "";
    if (!allowed.contains(part)) {
      throw new Problem(t.start, function + " takes one of " + String.join(", ", allowed.stream().sorted().toList())
          + " as its part, got " + sql.substring(t.start, tokens.get(arg[1] - 1).end));
    }
    return part;
  }

  private void expectArguments(String function, List<int[]> args, int count, String signature, Token at) {
    if (args.size() != count) {
      throw new Problem(at.start, function + " takes " + count + " argument" + (count == 1 ? "" : "s") + ", "
          + function + "(" + signature + "), got " + args.size());
    }
  }

  private String parameter(Token t) {
    String name = sql.substring(t.start + 1, t.end);
    String literal = parameters.get(name);
    if (literal == null) {
      throw new Problem(t.start, "@" + name + " is not a parameter of this definition; "
          + (parameters.isEmpty() ? "declare it under parameters:" : "it declares " + String.join(", ",
              parameters.keySet().stream().map(p -> "@" + p).toList())));
    }
    return literal;
  }

  /** Top-level arguments between an open parenthesis and its match, as token ranges [from, to). */
  private List<int[]> arguments(int from, int close) {
    List<int[]> args = new ArrayList<>();
    if (from == close) {
      return args;
    }
    int depth = 0;
    int start = from;
    for (int i = from; i < close; i++) {
      Type type = tokens.get(i).type;
      if (type == Type.LPAREN) {
        depth++;
      } else if (type == Type.RPAREN) {
        depth--;
      } else if (type == Type.COMMA && depth == 0) {
        args.add(new int[] {start, i});
        start = i + 1;
      }
    }
    args.add(new int[] {start, close});
    for (int[] a : args) {
      if (a[0] == a[1]) {
        throw new Problem(tokens.get(Math.min(a[0], close)).start, "an argument is missing here");
      }
    }
    return args;
  }

  private int matching(int open, int to) {
    int depth = 0;
    for (int i = open; i < to; i++) {
      Type type = tokens.get(i).type;
      if (type == Type.LPAREN) {
        depth++;
      } else if (type == Type.RPAREN && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private void copy(int from, int to) {
    if (to > from) {
      pieces.add(new RewrittenSql.Piece(text.length(), to - from, from, true));
      text.append(sql, from, to);
    }
  }

  private void write(String s, int anchor) {
    pieces.add(new RewrittenSql.Piece(text.length(), s.length(), anchor, false));
    text.append(s);
  }

  private String text(Token t) {
    return sql.substring(t.start, t.end);
  }

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        i++;
        while (i < n) {
          if (s.charAt(i) == c) {
            if (i + 1 < n && s.charAt(i + 1) == c) { // doubled quote: an escaped one
              i += 2;
              continue;
            }
            i++;
            break;
          }
          i++;
        }
        out.add(new Token(c == '\'' ? Type.STRING : Type.QUOTED, start, i));
      } else if (c == '@' && i + 1 < n && (Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '_')) {
        i++;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token(Type.PARAM, start, i));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
          i++;
        }
        out.add(new Token(Type.WORD, start, i));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
          i++;
          if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
          }
          while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
          }
        }
        out.add(new Token(Type.NUMBER, start, i));
      } else {
        i++;
        out.add(new Token(c == '(' ? Type.LPAREN : c == ')' ? Type.RPAREN : c == ',' ? Type.COMMA : Type.OTHER, start, i));
      }
    }
    return out;
  }
}

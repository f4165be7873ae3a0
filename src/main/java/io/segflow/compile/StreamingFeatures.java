package io.segflow.compile;

import io.segflow.dsl.diag.Position;
import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.impl.parser.impl.BeamSqlParserImpl;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.config.Lex;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlBasicCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlIdentifier;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlJoin;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlKind;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlLiteral;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlNodeList;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlOrderBy;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlSelect;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParser;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Whether a definition's features can be kept per entity as events of one source arrive, from the same
 * SQL the batch run plans: one GROUP BY on the entity over the events (other sources joined to them as
 * small side inputs), aggregates that merge as events come (COUNT, SUM, MIN, MAX, AVG, COUNT DISTINCT) and
 * expressions over them, with {@code @parameters} of type DATE or TIMESTAMP read as the current time. When
 * it cannot, each reason is located where the analyst wrote the construct, with what to write instead.
 */
public final class StreamingFeatures {
  /** Aggregates whose state merges event by event; the rest need every value at once. */
  private static final Set<String> MERGEABLE = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG");

  /** An {@code @parameter} as the analyst writes it. */
  private static final java.util.regex.Pattern PARAMETER = java.util.regex.Pattern.compile("@([A-Za-z_][A-Za-z0-9_]*)");

  /** Calcite's aggregates besides those: the parser leaves every function unresolved, so they go by name. */
  private static final Set<String> OTHER_AGGREGATES = Set.of("STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",
      "VAR_POP", "VAR_SAMP", "COVAR_POP", "COVAR_SAMP", "ANY_VALUE", "ARRAY_AGG", "STRING_AGG", "LISTAGG", "BIT_AND",
      "BIT_OR", "BIT_XOR", "LOGICAL_AND", "LOGICAL_OR", "EVERY", "SOME", "APPROX_COUNT_DISTINCT", "COLLECT");

  /** Why the features cannot be maintained from the events, at a position of the definition. */
  public record Reason(String displayPath, Position at, String message) {
    public String render() {
      return displayPath + ":" + at.line() + ":" + at.column() + ": " + message;
    }
  }

  /**
   * The answer for one event source.
   *
   * @param aggregates each aggregate the state keeps per entity, as written (COUNT(*), SUM(amount), ...)
   * @param timeBased output columns that read a time parameter: they change as time passes, without events
   * @param sideInputs the other sources, joined to each event
   */
  public record Analysis(String eventSource, List<String> aggregates, List<String> timeBased, List<String> sideInputs,
      List<Reason> reasons) {
    public boolean streams() {
      return reasons.isEmpty();
    }
  }

  private final CompiledDefinition compiled;
  private final SqlText sql;
  private final RewrittenSql rewritten;
  private final List<Reason> reasons = new ArrayList<>();

  private StreamingFeatures(CompiledDefinition compiled) {
    this.compiled = compiled;
    this.sql = compiled.definition().features().sql();
    this.rewritten = SegflowSql.rewrite(sql.text(), compiled.literals());
  }

  /** Whether the features can be maintained from events of {@code eventSource}, a source of the definition. */
  public static Analysis analyse(CompiledDefinition compiled, String eventSource) {
    if (!compiled.definition().sources().containsKey(eventSource)) {
      throw new IllegalArgumentException(eventSource + " is not a source of " + compiled.definition().name());
    }
    return new StreamingFeatures(compiled).run(eventSource);
  }

  private Analysis run(String eventSource) {
    SqlNode query;
    try {
      query = SqlParser.create(rewritten.text(), SqlParser.config().withParserFactory(BeamSqlParserImpl.FACTORY)
          .withLex(Lex.JAVA).withConformance(SqlConformanceEnum.LENIENT)).parseQuery();
    } catch (SqlParseException e) {
      // The batch plan parsed it: a difference of parser settings is segflow's bug, not the analyst's.
      throw new IllegalStateException("the features SQL planned but does not parse for the streaming check", e);
    }
    if (query instanceof SqlOrderBy ordered) {
      query = ordered.query;
    }
    if (!(query instanceof SqlSelect select)) {
      reason(query.getParserPosition(), "the features are " + query.getKind().lowerName + ", not one SELECT ... GROUP BY "
          + entity() + " over the events: only one GROUP BY can be kept up to date event by event");
      return new Analysis(eventSource, List.of(), List.of(), List.of(), reasons);
    }
    List<String> sources = new ArrayList<>();
    from(select.getFrom(), sources);
    if (!sources.contains(eventSource) && reasons.isEmpty()) { // a subquery's reason already says where they went
      reason(select.getFrom().getParserPosition(), "the events of " + eventSource + " are not read here: the "
          + "GROUP BY on " + entity() + " must read them directly, not through a subquery");
    }
    groupedByEntity(select);
    if (select.isDistinct()) {
      reason(select.getParserPosition(), "SELECT DISTINCT: drop DISTINCT, the GROUP BY already gives one row per "
          + entity());
    }
    if (select.getWhere() != null) {
      movingWindows(select.getWhere());
    }
    List<String> aggregates = new ArrayList<>();
    List<String> timeBased = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      aggregates(item, aggregates);
      if (readsTimeParameter(item)) {
        timeBased.add(outputName(item));
      }
    }
    if (select.getHaving() != null) {
      aggregates(select.getHaving(), aggregates);
    }
    List<String> sideInputs = sources.stream().filter(s -> !s.equals(eventSource)).distinct().toList();
    return new Analysis(eventSource, aggregates.stream().distinct().toList(), timeBased, sideInputs, List.copyOf(reasons));
  }

  /** The tables of FROM; a subquery or a table function is a reason. */
  private void from(SqlNode node, List<String> sources) {
    if (node == null) {
      return;
    }
    switch (node.getKind()) {
      case IDENTIFIER -> sources.add(last((SqlIdentifier) node));
      case AS -> from(((SqlCall) node).operand(0), sources);
      case JOIN -> {
        SqlJoin join = (SqlJoin) node;
        from(join.getLeft(), sources);
        from(join.getRight(), sources);
      }
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT, WITH -> reason(node.getParserPosition(), "a subquery in FROM: "
          + "events reach the features through one GROUP BY on " + entity() + " over the events themselves; a step "
          + "per order first can often be folded in (COUNT(DISTINCT order_id) for the orders, SUM and MAX over the "
          + "lines)");
      default -> reason(node.getParserPosition(), node.getKind().lowerName + " in FROM cannot be kept up to date "
          + "event by event");
    }
  }

  private void groupedByEntity(SqlSelect select) {
    SqlNodeList groups = select.getGroup();
    if (groups == null || groups.isEmpty()) {
      reason(select.getParserPosition(), "no GROUP BY: the features must be one GROUP BY on " + entity()
          + " to be kept per " + entity() + " as events arrive");
      return;
    }
    Optional<SqlNode> entityExpression = select.getSelectList().stream()
        .filter(item -> outputName(item).equalsIgnoreCase(entity())).findFirst().map(StreamingFeatures::unaliased);
    boolean byEntity = groups.size() == 1 && entityExpression.isPresent()
        && (groups.get(0).equalsDeep(entityExpression.get(), org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite
            .util.Litmus.IGNORE) || (groups.get(0) instanceof SqlIdentifier id && last(id).equalsIgnoreCase(entity())));
    if (!byEntity) {
      reason(groups.getParserPosition(), "GROUP BY " + (groups.size() > 1 ? "groups by more than " + entity()
          : "does not group by " + entity()) + ": the state is kept per " + entity() + ", so the GROUP BY must be "
          + entity() + " alone");
    }
  }

  /** A time parameter in WHERE other than as the upper bound of an event's time is a window that moves. */
  private void movingWindows(SqlNode where) {
    if (where instanceof SqlBasicCall call) {
      if (call.getKind() == SqlKind.AND) {
        call.getOperandList().forEach(this::movingWindows);
        return;
      }
      boolean upperBound = (call.getKind() == SqlKind.LESS_THAN || call.getKind() == SqlKind.LESS_THAN_OR_EQUAL)
          && !readsTimeParameter(call.operand(0)) && isTimeParameter(call.operand(1));
      if (!upperBound && readsTimeParameter(call)) {
        reason(call.getParserPosition(), "a filter that moves with time (" + originalText(call) + "): an event "
            + "would have to leave the aggregates when it falls out of it, and COUNT, SUM, MIN and MAX only ever take "
            + "events in; filter the events, or let recency say how old they are");
      }
    }
  }

  private void aggregates(SqlNode node, List<String> out) {
    if (node instanceof SqlCall call) {
      if (isAggregate(call)) {
        String name = rewritten.inAnalystTerms(call.getOperator().getName()).toUpperCase(Locale.ROOT);
        // segflow writes COUNT(DISTINCT x) as its own exact aggregate, spelled so in messages.
        boolean countDistinct = name.startsWith("COUNT(DISTINCT");
        boolean distinct = !countDistinct && call.getFunctionQuantifier() != null
            && call.getFunctionQuantifier().getValue().toString().equals("DISTINCT");
        if (call.getKind() == SqlKind.OVER || call.getOperator().getKind() == SqlKind.OVER) {
          reason(call.getParserPosition(), "a window function (OVER) cannot be kept per event");
        } else if (!countDistinct && (!MERGEABLE.contains(name) || (distinct && !name.equals("COUNT")))) {
          reason(call.getParserPosition(), (distinct ? name + "(DISTINCT ...)" : name) + " needs every value at once, "
              + "so it cannot be kept up to date as events arrive; COUNT, SUM, MIN, MAX, AVG and COUNT(DISTINCT ...) can");
        } else {
          out.add(originalText(call));
        }
        return;
      }
      if (call.getKind() == SqlKind.OVER) {
        reason(call.getParserPosition(), "a window function (OVER) cannot be kept per event");
        return;
      }
      call.getOperandList().forEach(operand -> aggregates(operand, out));
    }
  }

  /** An aggregate call: one of Calcite's, or one segflow registers (MEDIAN, PERCENTILE_CONT, ...). */
  private boolean isAggregate(SqlCall call) {
    if (call.getOperator().isAggregator()) {
      return true;
    }
    String name = call.getOperator().getName();
    return MERGEABLE.contains(name.toUpperCase(Locale.ROOT)) || OTHER_AGGREGATES.contains(name.toUpperCase(Locale.ROOT))
        || rewritten.aggregates().keySet().stream().anyMatch(registered -> registered.equalsIgnoreCase(name));
  }

  /** Whether the expression reads a parameter of type DATE or TIMESTAMP (the current time, when streaming). */
  private boolean readsTimeParameter(SqlNode node) {
    if (isTimeParameter(node)) {
      return true;
    }
    return node instanceof SqlCall call && call.getOperandList().stream()
        .anyMatch(operand -> operand != null && readsTimeParameter(operand));
  }

  /** A literal segflow wrote for an {@code @parameter} of type DATE or TIMESTAMP. */
  private boolean isTimeParameter(SqlNode node) {
    return timeParameter(node, compiled, rewritten).isPresent();
  }

  /**
   * The {@code @parameter} of type DATE or TIMESTAMP whose literal {@code node} is, in the rewritten
   * features query of {@code compiled}; empty for any other node.
   */
  static Optional<io.segflow.dsl.model.ParameterSpec> timeParameter(SqlNode node, CompiledDefinition compiled,
      RewrittenSql rewritten) {
    if (!(node instanceof SqlLiteral) && !(node instanceof SqlCall call && call.getKind() == SqlKind.CAST)) {
      return Optional.empty();
    }
    // The literal's characters (its parentheses aside) map back to the '@' of the parameter it replaced.
    String original = compiled.definition().features().sql().text();
    SqlParserPos pos = node.getParserPosition();
    int start = RewrittenSql.offsetOf(rewritten.text(), pos.getLineNum(), pos.getColumnNum());
    int end = RewrittenSql.offsetOf(rewritten.text(), pos.getEndLineNum(), pos.getEndColumnNum());
    java.util.regex.Matcher name = PARAMETER.matcher(original);
    for (int offset = start; offset <= end; offset++) {
      int at = rewritten.originalOffset(offset);
      if (at < original.length() && original.charAt(at) == '@' && name.find(at) && name.start() == at) {
        var parameter = compiled.definition().parameters().get(name.group(1));
        // A cast to another type is an expression over the parameter (DATE_DIFF's of a TIMESTAMP), not its value.
        return Optional.ofNullable(parameter)
            .filter(p -> p.type() == ColumnType.DATE || p.type() == ColumnType.TIMESTAMP)
            .filter(p -> !(node instanceof SqlCall cast) || cast.operand(1) instanceof org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlDataTypeSpec type
                && type.getTypeName().getSimple().equalsIgnoreCase(p.type().name()));
      }
    }
    return Optional.empty();
  }

  /** The analyst's text of a node: the original SQL from where its first character came to where its last did. */
  private String originalText(SqlNode node) {
    SqlParserPos pos = node.getParserPosition();
    String text = rewritten.text();
    int start = RewrittenSql.offsetOf(text, pos.getLineNum(), pos.getColumnNum());
    int end = Math.min(text.length() - 1, RewrittenSql.offsetOf(text, pos.getEndLineNum(), pos.getEndColumnNum()));
    // Calcite's position takes in the parentheses segflow writes around what it rewrites.
    while (start < end && text.charAt(start) == '(' && text.charAt(end) == ')') {
      start++;
      end--;
    }
    int from = rewritten.originalOffset(start);
    int to = rewritten.originalOffset(end) + 1;
    String written = to > from + 1 ? sql.text().substring(from, Math.min(to, sql.text().length()))
        : rewritten.inAnalystTerms(text.substring(start, end + 1));
    return written.replaceAll("\\s+", " ").trim();
  }

  private static SqlNode unaliased(SqlNode item) {
    return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
  }

  private static String outputName(SqlNode item) {
    if (item.getKind() == SqlKind.AS) {
      return last((SqlIdentifier) ((SqlCall) item).operand(1));
    }
    return item instanceof SqlIdentifier id ? last(id) : item.toString();
  }

  private static String last(SqlIdentifier id) {
    return id.names.get(id.names.size() - 1);
  }

  private String entity() {
    return compiled.definition().entity();
  }

  private void reason(SqlParserPos pos, String message) {
    int[] at = rewritten.originalLineColumn(sql.text(), pos.getLineNum(), pos.getColumnNum());
    reasons.add(new Reason(sql.origin().displayPath(), sql.origin().map(at[0], at[1]), message));
  }
}

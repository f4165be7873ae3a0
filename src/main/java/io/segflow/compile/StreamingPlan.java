package io.segflow.compile;

import io.segflow.dsl.model.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.extensions.sql.impl.parser.impl.BeamSqlParserImpl;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.config.Lex;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlDialect;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlIdentifier;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlJoin;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlKind;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlLiteral;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlNodeList;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlOrderBy;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlSelect;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParser;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.util.SqlShuttle;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.util.Litmus;

/**
 * A features query that streams ({@link StreamingFeatures}), cut where its GROUP BY is into the two halves
 * a stream runs, so the stream computes the very expressions the batch run does:
 *
 * <ol>
 *   <li>{@link #eventsSql()}, per event: the query's FROM and WHERE, giving the entity (the GROUP BY's
 *       expression) as {@value #ENTITY}, the event's time as {@value #EVENT_TIME} and each aggregate's
 *       argument as {@code a0}, {@code a1}, ...;
 *   <li>the {@link #aggregates()}, kept per entity in state as events arrive, as {@code g0}, {@code g1}, ...;
 *   <li>{@link #featuresSql()}, per update of an entity: the SELECT list and HAVING with each aggregate
 *       replaced by its kept value, over the table {@code PCOLLECTION} of the entity and the {@code g}s.
 * </ol>
 *
 * Both halves are Beam SQL of the rewritten query's own nodes, so parameters hold the values they hold in
 * the batch run, but for the {@link #timeParameters()} in the query per update: a stream reads them as the
 * update's time, the column {@value #NOW}, so a customer's recency is counted to when each update happens.
 * The events' filter keeps their value ({@code t < @as_of} bounds which events count).
 */
public record StreamingPlan(String eventSource, String eventsSql, List<Aggregate> aggregates, String featuresSql,
    List<String> timeParameters) {
  /** The events query's column holding the entity, and the aggregates row's. */
  public static final String ENTITY = "__entity";
  /** The update's time in the table of the query per update (TIMESTAMP). */
  public static final String NOW = "__now";
  /**
   * The event's time: a column the stream adds to the event source's rows and the query per event passes
   * on, since a JOIN's output loses the elements' timestamps.
   */
  public static final String EVENT_TIME = "__event_time";
  /** The events query's column holding the event's id, when the events have one. */
  public static final String EVENT_ID = "__event_id";

  /**
   * One aggregate kept per entity.
   *
   * @param kind COUNT, SUM, MIN, MAX, AVG or COUNT_DISTINCT
   * @param input the events query's column it reads; empty for COUNT(*)
   * @param output its column in the kept row
   */
  public record Aggregate(String kind, Optional<String> input, String output) {}

  // Backticks, as Beam's parser (Lex.JAVA) reads them back; Calcite's own spelling of everything else.
  private static final SqlDialect DIALECT = new SqlDialect(SqlDialect.EMPTY_CONTEXT
      .withDatabaseProduct(SqlDialect.DatabaseProduct.CALCITE).withIdentifierQuoteString("`"));

  /**
   * The plan of the definition's features from {@code eventSource}'s events.
   *
   * @throws IllegalArgumentException when the features do not stream, with each reason at its place
   */
  public static StreamingPlan of(CompiledDefinition compiled, String eventSource) {
    return of(compiled, eventSource, Optional.empty());
  }

  /**
   * @param idColumn the events' column that identifies an event (a redelivery has the same), carried as
   *     {@value #EVENT_ID}
   */
  public static StreamingPlan of(CompiledDefinition compiled, String eventSource, Optional<String> idColumn) {
    idColumn.ifPresent(id -> {
      List<String> columns = compiled.definition().sources().get(eventSource).columns().stream()
          .map(io.segflow.dsl.model.Column::name).toList();
      if (!columns.contains(id)) {
        throw new IllegalArgumentException("the id column " + id + " is not a column of " + eventSource + " (it has "
            + String.join(", ", columns) + ")");
      }
    });
    StreamingFeatures.Analysis analysis = StreamingFeatures.analyse(compiled, eventSource);
    if (!analysis.streams()) {
      throw new IllegalArgumentException("the features of " + compiled.definition().name() + " cannot be kept from "
          + eventSource + "'s events:\n  " + String.join("\n  ",
              analysis.reasons().stream().map(StreamingFeatures.Reason::render).toList()));
    }
    RewrittenSql rewritten = SegflowSql.rewrite(compiled.definition().features().sql().text(), compiled.literals());
    SqlSelect select = parse(rewritten.text());
    SqlNode group = select.getGroup().get(0);
    Map<String, Aggregate> kept = new LinkedHashMap<>(); // by the aggregate's SQL
    List<SqlNode> arguments = new ArrayList<>();
    List<String> timeParameters = new ArrayList<>();
    SqlShuttle toKept = new SqlShuttle() {
      @Override
      public SqlNode visit(SqlLiteral literal) {
        return now(literal).orElse(literal);
      }

      /** A time parameter's literal becomes the update's time, of the parameter's type. */
      private Optional<SqlNode> now(SqlNode node) {
        return StreamingFeatures.timeParameter(node, compiled, rewritten).map(parameter -> {
          if (!timeParameters.contains(parameter.name())) {
            timeParameters.add(parameter.name());
          }
          return expression("CAST(`" + NOW + "` AS " + (parameter.type() == ColumnType.DATE ? "DATE" : "TIMESTAMP") + ")");
        });
      }

      @Override
      public SqlNode visit(SqlCall call) {
        if (call.getKind() == SqlKind.AS) {
          return super.visit(call);
        }
        Optional<SqlNode> now = now(call);
        if (now.isPresent()) {
          return now.get();
        }
        if (call.equalsDeep(group, Litmus.IGNORE)) {
          return new SqlIdentifier(ENTITY, SqlParserPos.ZERO);
        }
        Optional<String> kind = kind(call, rewritten);
        if (kind.isEmpty()) {
          return super.visit(call);
        }
        Aggregate aggregate = kept.computeIfAbsent(sql(call), text -> {
          Optional<String> input = Optional.empty();
          if (!(call.operandCount() == 0 || call.operand(0).toString().equals("*"))) {
            input = Optional.of("a" + arguments.size());
            arguments.add(as(call.operand(0), input.get()));
          }
          return new Aggregate(kind.get(), input, "g" + kept.size());
        });
        return new SqlIdentifier(aggregate.output(), SqlParserPos.ZERO);
      }

      @Override
      public SqlNode visit(SqlIdentifier id) {
        return group instanceof SqlIdentifier g && g.equalsDeep(id, Litmus.IGNORE)
            ? new SqlIdentifier(ENTITY, SqlParserPos.ZERO) : id;
      }
    };
    List<String> items = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      // A bare column keeps its name when it becomes the entity's kept value.
      items.add(sql(item.accept(toKept)) + (item instanceof SqlIdentifier id
          ? " AS `" + id.names.get(id.names.size() - 1) + "`" : ""));
    }
    String having = select.getHaving() == null ? "" : "\nWHERE " + sql(select.getHaving().accept(toKept));
    SqlNodeList perEvent = new SqlNodeList(SqlParserPos.ZERO);
    perEvent.add(as(group, ENTITY));
    String events = nameIn(select.getFrom(), eventSource);
    perEvent.add(as(expression("`" + events + "`.`" + EVENT_TIME + "`"), EVENT_TIME));
    idColumn.ifPresent(id -> perEvent.add(as(expression("CAST(`" + events + "`.`" + id + "` AS VARCHAR)"), EVENT_ID)));
    arguments.forEach(perEvent::add);
    // A whole SELECT is unparsed, not its FROM alone: Calcite writes a lone JOIN as a SELECT * of its own.
    String perEventSql = sql(new SqlSelect(SqlParserPos.ZERO, null, perEvent, select.getFrom(), select.getWhere(), null,
        null, null, null, null, null, null));
    String features = "SELECT " + String.join(", ", items) + "\nFROM PCOLLECTION" + having;
    return new StreamingPlan(eventSource, perEventSql, List.copyOf(kept.values()), features, List.copyOf(timeParameters));
  }

  /** COUNT_DISTINCT and the like for an aggregate call; empty for anything else. */
  private static Optional<String> kind(SqlCall call, RewrittenSql rewritten) {
    String name = rewritten.inAnalystTerms(call.getOperator().getName()).toUpperCase(Locale.ROOT);
    if (name.startsWith("COUNT(DISTINCT")) {
      return Optional.of("COUNT_DISTINCT");
    }
    boolean distinct = call.getFunctionQuantifier() != null
        && call.getFunctionQuantifier().getValue().toString().equals("DISTINCT");
    return switch (name) {
      case "COUNT" -> Optional.of(distinct ? "COUNT_DISTINCT" : "COUNT");
      case "SUM", "MIN", "MAX", "AVG" -> Optional.of(name);
      default -> Optional.empty();
    };
  }

  private static SqlSelect parse(String text) {
    try {
      SqlNode query = SqlParser.create(text, SqlParser.config().withParserFactory(BeamSqlParserImpl.FACTORY)
          .withLex(Lex.JAVA).withConformance(SqlConformanceEnum.LENIENT)).parseQuery();
      return (SqlSelect) (query instanceof SqlOrderBy ordered ? ordered.query : query);
    } catch (SqlParseException e) {
      throw new IllegalStateException("the features SQL planned but does not parse for the streaming plan", e);
    }
  }

  private static SqlNode as(SqlNode node, String alias) {
    return SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, node, new SqlIdentifier(alias, SqlParserPos.ZERO));
  }

  /** What FROM calls the event source: its alias, or its name. */
  private static String nameIn(SqlNode from, String source) {
    if (from instanceof SqlJoin join) {
      String left = nameIn(join.getLeft(), source);
      return left != null ? left : nameIn(join.getRight(), source);
    }
    if (from instanceof SqlCall call && call.getKind() == SqlKind.AS && call.operand(0) instanceof SqlIdentifier table) {
      return table.names.get(table.names.size() - 1).equals(source) ? ((SqlIdentifier) call.operand(1)).getSimple() : null;
    }
    return from instanceof SqlIdentifier table && table.names.get(table.names.size() - 1).equals(source) ? source : null;
  }

  private static SqlNode expression(String text) {
    try {
      return SqlParser.create(text, SqlParser.config().withParserFactory(BeamSqlParserImpl.FACTORY)
          .withLex(Lex.JAVA).withConformance(SqlConformanceEnum.LENIENT)).parseExpression();
    } catch (SqlParseException e) {
      throw new IllegalStateException("segflow's own expression does not parse: " + text, e);
    }
  }

  private static String sql(SqlNode node) {
    return node.toSqlString(DIALECT).getSql();
  }
}

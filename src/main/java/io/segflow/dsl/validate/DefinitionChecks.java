package io.segflow.dsl.validate;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.methods.MethodSyntaxes;
import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.ConsentSpec;
import io.segflow.dsl.model.ScheduleSpec;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of meaning that need no SQL: segment names unique, a k sweep that is a range, every source
 * bound by the environment. (Checks against the features query's output live with the SQL planner.)
 */
public final class DefinitionChecks {
  private DefinitionChecks() {}

  public static List<Diagnostic> check(SegmentDefinition def, YamlDocument doc, Optional<Environment> env) {
    List<Diagnostic> out = new ArrayList<>();
    out.addAll(MethodSyntaxes.check(def.segmentation(), doc));
    def.consent().ifPresent(c -> checkConsent(def, c, doc, out));
    def.schedule().ifPresent(s -> checkSchedule(s, doc, out));
    checkParameterDefaults(def, doc, out);
    env.ifPresent(e -> checkBindings(def, doc, e, out));
    return out;
  }

  /** The cron expression and time zone are ones Cloud Scheduler accepts. */
  private static void checkSchedule(ScheduleSpec schedule, YamlDocument doc, List<Diagnostic> out) {
    try {
      CronSchedule.of(schedule);
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().startsWith("time_zone:") ? "time_zone" : "cron";
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("schedule", key)).node().start(),
          DiagnosticCode.SCHEDULE_INVALID, "schedule." + key, e.getMessage().substring(key.length() + 2)));
    }
  }

  private static void checkParameterDefaults(SegmentDefinition def, YamlDocument doc, List<Diagnostic> out) {
    def.parameters().values().forEach(p -> {
      try {
        ParameterValues.canonical(p.type(), p.defaultValue());
      } catch (IllegalArgumentException e) {
        out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("parameters", p.name(), "default")).node().start(),
            DiagnosticCode.PARAMETER_VALUE, "parameters." + p.name() + ".default", e.getMessage()
                + ", as parameters." + p.name() + ".type says"));
      }
    });
  }

  /** The consent source is declared, with the entity column and a BOOL consent column. */
  private static void checkConsent(SegmentDefinition def, ConsentSpec consent, YamlDocument doc, List<Diagnostic> out) {
    SourceSpec source = def.sources().get(consent.source());
    if (source == null) {
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("consent", "source")).node().start(),
          DiagnosticCode.CONSENT_COLUMN, "consent.source", "'" + consent.source() + "' is not a declared source ("
              + String.join(", ", def.sources().keySet()) + ")"));
      return;
    }
    for (String key : List.of("entity", "column")) {
      String column = key.equals("entity") ? consent.entity() : consent.column();
      Optional<Column> declared = source.columns().stream().filter(c -> c.name().equals(column)).findFirst();
      YamlDocument.Located at = doc.locate(List.of("consent", key));
      Position where = at.complete() ? at.node().start() : doc.locate(List.of("consent")).keyOrStart();
      if (declared.isEmpty()) {
        out.add(Diagnostic.error(doc.displayPath(), where, DiagnosticCode.CONSENT_COLUMN, "consent." + key,
            "'" + column + "' is not a column of source " + source.name() + " (it declares: " + String.join(", ",
                source.columns().stream().map(Column::name).toList()) + ")"));
      } else if (key.equals("column") && declared.get().type() != ColumnType.BOOL) {
        out.add(Diagnostic.error(doc.displayPath(), where, DiagnosticCode.CONSENT_COLUMN, "consent.column",
            "'" + column + "' is declared " + declared.get().type() + "; consent is a BOOL column (true: consents)"));
      }
    }
  }

  private static void checkBindings(SegmentDefinition def, YamlDocument doc, Environment env, List<Diagnostic> out) {
    for (String source : def.sources().keySet()) {
      if (!env.sources().containsKey(source)) {
        YamlDocument.Located at = doc.locate(List.of("sources", source));
        out.add(Diagnostic.error(doc.displayPath(), at.keyOrStart(), DiagnosticCode.SOURCE_NOT_BOUND,
            "sources." + source, "environment '" + env.name() + "' (" + env.displayPath()
                + ") does not bind source '" + source + "'; add a binding for it under sources:"));
      }
    }
    out.addAll(eventTimes(def, env));
  }

  /**
   * Each bound {@code event_time} names a time column the definition declares on that source (SF408),
   * located in the environment file: checked by {@code validate} as well as before a stream starts, so an
   * analyst learns it with the definition's other mistakes.
   */
  public static List<Diagnostic> eventTimes(SegmentDefinition def, Environment env) {
    List<Diagnostic> out = new ArrayList<>();
    for (SourceSpec spec : def.sources().values()) {
      Optional<String> eventTime = Optional.ofNullable(env.sources().get(spec.name())).flatMap(b -> b.eventTime());
      if (eventTime.isEmpty()) {
        continue;
      }
      String column = eventTime.get();
      Optional<Column> declared = spec.columns().stream().filter(c -> c.name().equals(column)).findFirst();
      String problem = declared.isEmpty()
          ? "'" + column + "' is not a column of source " + spec.name() + "; its columns that can be event times: "
              + timeColumns(spec)
          : !isTime(declared.get().type())
              ? "'" + column + "' is declared " + declared.get().type() + "; an event time is a TIMESTAMP, a DATE or "
                  + "an INT64 of Unix seconds (the source's: " + timeColumns(spec) + ")"
              : null;
      if (problem != null) {
        Position at = EnvironmentLoader.positionOf(env, List.of("sources", spec.name(), "event_time"));
        out.add(Diagnostic.error(env.displayPath(), at, DiagnosticCode.EVENT_TIME_COLUMN,
            "sources." + spec.name() + ".event_time", problem));
      }
    }
    return out;
  }

  /** The types an event time may have: an INT64 counts seconds since the Unix epoch, as clickstreams do. */
  private static boolean isTime(ColumnType type) {
    return type == ColumnType.TIMESTAMP || type == ColumnType.DATE || type == ColumnType.INT64;
  }

  private static String timeColumns(SourceSpec spec) {
    List<String> times = spec.columns().stream().filter(c -> isTime(c.type())).map(Column::name).toList();
    return times.isEmpty() ? "none" : String.join(", ", times);
  }
}

package io.segflow.dsl.validate;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.segflow.dsl.model.ScheduleSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A definition's schedule, parsed as Cloud Scheduler reads it (unix-cron: five fields, no seconds, no
 * years) in its time zone, so what {@code validate} accepts is what the scheduler accepts.
 */
public final class CronSchedule {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ScheduleSpec spec;
  private final ExecutionTime times;
  private final ZoneId zone;

  private CronSchedule(ScheduleSpec spec, ExecutionTime times, ZoneId zone) {
    this.spec = spec;
    this.times = times;
    this.zone = zone;
  }

  /** The schedule, or an {@link IllegalArgumentException} saying what is wrong with it. */
  public static CronSchedule of(ScheduleSpec spec) {
    ZoneId zone;
    try {
      zone = ZoneId.of(spec.timeZone());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time_zone: '" + spec.timeZone() + "' is not a time zone of the tz database "
          + "(e.g. UTC, Europe/London, America/New_York)");
    }
    Cron cron;
    try {
      cron = UNIX.parse(spec.cron()).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cron: '" + spec.cron() + "' is not a unix-cron expression (minute hour "
          + "day-of-month month day-of-week): " + e.getMessage());
    }
    return new CronSchedule(spec, ExecutionTime.forCron(cron), zone);
  }

  public ScheduleSpec spec() {
    return spec;
  }

  /** The next {@code count} times the schedule fires after {@code after}, in its time zone. */
  public List<ZonedDateTime> next(ZonedDateTime after, int count) {
    List<ZonedDateTime> out = new ArrayList<>();
    ZonedDateTime at = after.withZoneSameInstant(zone);
    for (int i = 0; i < count; i++) {
      at = times.nextExecution(at).orElse(null);
      if (at == null) {
        break;
      }
      out.add(at);
    }
    return out;
  }
}

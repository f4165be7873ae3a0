package io.segflow.dsl.model;

/**
 * When a deployed definition refreshes: a unix-cron expression (Cloud Scheduler's dialect: minute, hour,
 * day of month, month, day of week) read in a time zone of the tz database.
 */
public record ScheduleSpec(String cron, String timeZone) {
  public static final String DEFAULT_TIME_ZONE = "UTC";
}

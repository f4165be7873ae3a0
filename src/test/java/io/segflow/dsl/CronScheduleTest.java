package io.segflow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.model.ScheduleSpec;
import io.segflow.dsl.validate.CronSchedule;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  @Test
  void mondaysAtFiveInLondonFollowTheClockAcrossTheChangeToSummerTime() {
    CronSchedule schedule = CronSchedule.of(new ScheduleSpec("0 5 * * 1", "Europe/London"));
    List<ZonedDateTime> next = schedule.next(ZonedDateTime.parse("2027-03-20T12:00:00Z"), 3);
    // 29 March 2027 is the first Monday of British Summer Time: 05:00 London is then 04:00 UTC.
    assertEquals(List.of("2027-03-22T05:00Z[Europe/London]", "2027-03-29T05:00+01:00[Europe/London]",
        "2027-04-05T05:00+01:00[Europe/London]"), next.stream().map(ZonedDateTime::toString).toList());
    assertEquals("2027-03-29T04:00:00Z", next.get(1).toInstant().toString());
  }

  @Test
  void stepsListsAndNamesAreUnixCron() {
    CronSchedule schedule = CronSchedule.of(new ScheduleSpec("*/30 6-7 1,15 * MON-FRI", "UTC"));
    List<ZonedDateTime> next = schedule.next(ZonedDateTime.parse("2027-01-01T00:00:00Z"), 4);
    assertEquals(4, next.size());
    next.forEach(t -> assertTrue(t.getMinute() % 30 == 0 && t.getHour() >= 6 && t.getHour() <= 7, t.toString()));
  }

  @Test
  void whatCloudSchedulerRefusesIsRefusedWithTheFieldAtFault() {
    IllegalArgumentException seconds = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.of(new ScheduleSpec("0 0 5 * * ?", "UTC")));
    assertTrue(seconds.getMessage().startsWith("cron: '0 0 5 * * ?' is not a unix-cron expression"), seconds.getMessage());
    IllegalArgumentException zone = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.of(new ScheduleSpec("0 5 * * *", "CEST+1")));
    assertTrue(zone.getMessage().startsWith("time_zone: 'CEST+1' is not a time zone"), zone.getMessage());
  }
}

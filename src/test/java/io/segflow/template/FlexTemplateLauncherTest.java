package io.segflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the launcher refuses before it builds anything, with the exit codes of segflow. */
class FlexTemplateLauncherTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int launch(String... args) {
    return FlexTemplateLauncher.launch(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void withoutADefinitionNothingIsLaunched() {
    assertEquals(2, launch("--environment=prod"));
    assertTrue(err.toString().contains("the template parameter definition is required"), err.toString());
  }

  @Test
  void anInvalidDefinitionIsRefusedWithItsDiagnosticsAtTheirLines() {
    assertEquals(1, launch("--definition=src/test/resources/dsl/invalid/SF217_schedule_cron.yaml"));
    assertTrue(err.toString().contains("SF217_schedule_cron.yaml:21:9: error[SF217] schedule.cron"), err.toString());
    assertTrue(err.toString().contains("is not valid; nothing was launched"), err.toString());
  }

  @Test
  void parameterValuesThatFitNoParameterAreALaunchError() {
    assertEquals(2, launch("--definition=segment-definitions/cdnow_rfm_kmeans.yaml", "--parameterValues=as_of"));
    assertTrue(err.toString().contains("'as_of' is not name=value"), err.toString());
    assertEquals(2, launch("--definition=segment-definitions/cdnow_rfm_kmeans.yaml",
        "--parameterValues=as_of=1998-06-01;no_such=1"));
    assertTrue(err.toString().contains("no_such"), err.toString());
    assertEquals(2, launch("--definition=segment-definitions/cdnow_rfm_kmeans.yaml", "--parameterValues=as_of=yesterday"));
    assertTrue(err.toString().contains("as_of"), err.toString());
  }

  @Test
  void parameterValuesArePairsInOrder() {
    assertEquals(Map.of("as_of", "2026-12-01", "label", "a=b"),
        FlexTemplateLauncher.Launch.parameterValues("as_of=2026-12-01;label=a=b"));
    assertThrows(IllegalArgumentException.class, () -> FlexTemplateLauncher.Launch.parameterValues("a=1;a=2"));
    assertEquals(Map.of(), FlexTemplateLauncher.Launch.parameterValues(" "));
  }
}

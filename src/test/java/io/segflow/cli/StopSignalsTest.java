package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

class StopSignalsTest {
  private static final Signal TERM = new Signal("TERM");

  @Test
  void aSigtermStopsTheStreamInsteadOfEndingTheProcess() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    try (StopSignals signals = StopSignals.handle(stopped::countDown)) {
      Signal.raise(TERM);
      assertTrue(stopped.await(10, TimeUnit.SECONDS), "the stop was not started by SIGTERM");
    }
  }

  @Test
  void closingPutsBackTheHandlersThatWereThere() throws InterruptedException {
    CountDownLatch outer = new CountDownLatch(1);
    CountDownLatch inner = new CountDownLatch(1);
    try (StopSignals signals = StopSignals.handle(outer::countDown)) {
      StopSignals.handle(inner::countDown).close();
      Signal.raise(TERM);
      assertTrue(outer.await(10, TimeUnit.SECONDS), "the handler from before was not put back");
      assertEquals(1, inner.getCount(), "the closed handler still ran");
    }
  }
}

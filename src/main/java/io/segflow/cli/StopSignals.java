package io.segflow.cli;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM, while a live stream runs, stop it the way it would end on its own: the first
 * one starts {@code stop} (the pipeline's cancel), so the command still reports how the stream ended and
 * exits 0; a second one ends the process at once, as the signal would have. A shutdown hook could not do
 * this: the JVM is already exiting with the signal's status when hooks run. Closing puts back the handlers
 * that were there before. A signal the process was started ignoring (a script's {@code &} job ignores
 * SIGINT) stays ignored: the JVM does not handle it.
 */
final class StopSignals implements AutoCloseable {
  private static final String[] STOPPING = {"INT", "TERM"};

  private final Map<Signal, SignalHandler> previous = new java.util.LinkedHashMap<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  private StopSignals(Runnable stop) {
    SignalHandler handler = signal -> {
      if (stopping.compareAndSet(false, true)) {
        System.err.println("segflow: stopping the stream (SIG" + signal.getName() + "); again to quit at once");
        new Thread(stop, "segflow-stop").start();
      } else {
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
    };
    for (String name : STOPPING) {
      Signal signal = new Signal(name);
      previous.put(signal, Signal.handle(signal, handler));
    }
  }

  /** Handles the stopping signals with {@code stop} until closed. */
  static StopSignals handle(Runnable stop) {
    return new StopSignals(stop);
  }

  /** Whether a signal has asked the stream to stop. */
  boolean stopRequested() {
    return stopping.get();
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
  }
}

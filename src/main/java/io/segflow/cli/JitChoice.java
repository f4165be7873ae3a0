package io.segflow.cli;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.SourceBinding;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Which JIT compilers a run's JVM uses, chosen from the size of its input (issue 13, measured in
 * docs/performance.md). C2 pays for its compile threads only once a run lasts: on 2 cores the demo
 * (7 MB of gzipped CSV) took 0.78x the wall time with C1 alone, while 1M customers (78 MB) ran in 0.97x
 * with C2. The JVM cannot change compilers once started, so {@link #start} tells it, through the HotSpot
 * diagnostic command behind {@code jcmd Compiler.directives_add}, to compile no method with C2 (it then
 * stops at C1, as {@code -XX:TieredStopAtLevel=1} would), and {@link #choose} lifts that once the
 * environment says the input is large. {@code -Dsegflow.jit=c1|c2|auto} (default auto) overrides it.
 */
final class JitChoice implements AutoCloseable {
  /** Bytes of input files (as stored, gzipped or not) from which C2 is worth its compile threads. */
  static final long C2_FROM_BYTES = 32L << 20;

  private static final String DIAGNOSTICS = "com.sun.management:type=DiagnosticCommand";
  private static final String[] ARGS = {String[].class.getName()};

  private final String mode;
  private boolean c2Excluded;

  private JitChoice(String mode) {
    this.mode = mode;
  }

  private static final Set<String> MODES = Set.of("auto", "c1", "c2");

  /**
   * Excludes C2 until {@link #choose} (unless {@code segflow.jit=c2}); a JVM without the command keeps both.
   *
   * @throws IllegalArgumentException if {@code segflow.jit} is set to something else than auto, c1 or c2,
   *     which would otherwise pass for auto unseen
   */
  static JitChoice start() {
    String mode = System.getProperty("segflow.jit", "auto").toLowerCase(Locale.ROOT);
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("-Dsegflow.jit must be auto, c1 or c2, got '"
          + System.getProperty("segflow.jit") + "'");
    }
    JitChoice jit = new JitChoice(mode);
    if (!jit.mode.equals("c2")) {
      jit.c2Excluded = excludeC2();
    }
    return jit;
  }

  /**
   * Lets C2 compile again if the files of the sources the definition reads are large, and says which
   * compilers the run uses. An environment binds every source its definitions name; only these count.
   */
  String choose(Environment environment, Set<String> sourcesRead) {
    OptionalLong bytes = inputBytes(environment, sourcesRead);
    boolean large = bytes.isPresent() && bytes.getAsLong() >= C2_FROM_BYTES;
    boolean c1Only = c2Excluded && !(mode.equals("auto") && large);
    if (!c1Only) {
      close();
    }
    String size = bytes.isPresent() ? String.format("%,d MB of input files", bytes.getAsLong() >> 20)
        : "input size unknown (not files)";
    return (c1Only ? "JIT: C1 only" : "JIT: C1 and C2") + " (" + size
        + (mode.equals("auto") ? "" : ", segflow.jit=" + mode) + ")";
  }

  /** Lifts the exclusion if it is still on, so a JVM that runs more than the one command is left as it was. */
  @Override
  public void close() {
    if (c2Excluded) {
      diagnose("compilerDirectivesRemove", null, "");
      c2Excluded = false;
    }
  }

  /** The bytes of every file the sources read match, or empty if one is not a file source. */
  static OptionalLong inputBytes(Environment environment, Set<String> sourcesRead) {
    long total = 0;
    for (String source : sourcesRead) {
      SourceBinding binding = environment.sources().get(source);
      if (!(binding instanceof SourceBinding.Files files)) {
        return OptionalLong.empty();
      }
      try {
        MatchResult match = FileSystems.match(files.path().toString());
        if (match.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata m : match.metadata()) {
            total += m.sizeBytes();
          }
        }
      } catch (IOException e) {
        return OptionalLong.empty(); // the read reports it, naming the file
      }
    }
    return OptionalLong.of(total);
  }

  /** Runs a HotSpot diagnostic command; true if it says it did what was asked. */
  private static boolean diagnose(String operation, String argument, String done) {
    try {
      Object said = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTICS), operation,
          new Object[] {argument == null ? new String[0] : new String[] {argument}}, ARGS);
      return String.valueOf(said).contains(done);
    } catch (JMException | RuntimeException e) {
      return false; // not HotSpot, or the command is absent: both compilers, as the JVM started
    }
  }

  private static boolean excludeC2() {
    Path file;
    try {
      file = Files.createTempFile("segflow-jit", ".json");
      Files.writeString(file, "[{match: \"*.*\", c2: {Exclude: true}}]");
    } catch (IOException e) {
      return false; // no temporary folder: both compilers, which only costs time
    }
    try {
      return diagnose("compilerDirectivesAdd", file.toString(), "added");
    } finally {
      file.toFile().delete(); // read at once by the command
    }
  }
}

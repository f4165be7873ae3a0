package io.segflow.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The versions of segflow, Beam and Java this process runs, from the build's {@code version.properties}
 * (filtered by Maven, so it holds in tests as in the jar): for {@code --version} and for each run's run.json.
 */
public final class Versions {
  private Versions() {}

  /** segflow, beam and java, in that order; "unknown" where the build wrote none. */
  public static Map<String, String> of() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/io/segflow/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read segflow's version.properties", e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("segflow", p.getProperty("version", "unknown"));
    out.put("beam", p.getProperty("beam.version", "unknown"));
    out.put("java", System.getProperty("java.version"));
    return out;
  }
}

package io.segflow.pipeline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the DuckDB warehouse file, waiting while another connection holds it in a way that excludes this
 * one. DuckDB lets one process write a file while no other has it open, and within one process refuses a
 * read-only and a read-write connection to the same file at once; a stream polls the file for new models
 * while {@code segflow run} publishes into it, so both sides wait for the other's short transaction rather
 * than fail.
 */
final class DuckDbFile {
  /** Whether the connection may write: readers open read-only, so reading never creates or locks out. */
  enum Access { READ_ONLY, READ_WRITE }

  static final Duration PATIENCE = Duration.ofSeconds(60);

  private DuckDbFile() {}

  static Connection open(Path database, Access access) throws SQLException {
    Properties properties = new Properties();
    if (access == Access.READ_ONLY) {
      properties.setProperty("duckdb.read_only", "true");
    }
    String url = "jdbc:duckdb:" + database.toAbsolutePath();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long pauseMillis = 20;
    while (true) {
      try {
        return DriverManager.getConnection(url, properties);
      } catch (SQLException e) {
        if (!heldElsewhere(e) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for " + database + " to be free", e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 1_000);
    }
  }

  /** DuckDB's refusals while another connection holds the file, in this process or another. */
  static boolean heldElsewhere(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("Could not set lock on file")
        || message.contains("different configuration than existing connections");
  }
}

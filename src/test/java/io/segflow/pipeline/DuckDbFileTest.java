package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer waits for a reader's short connection to the warehouse file instead of failing, as a polling stream needs. */
class DuckDbFileTest {

  @Test
  void aWriterWaitsForAReadOnlyConnectionInTheSameProcess(@TempDir Path dir) throws Exception {
    Path database = dir.resolve("warehouse.duckdb");
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_WRITE); Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE runs (run_id VARCHAR)");
    }
    Connection reader = DuckDbFile.open(database, DuckDbFile.Access.READ_ONLY);
    SQLException refused = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath()).close(),
        "DuckDB refuses a read-write connection beside a read-only one: the case being waited for");
    assertTrue(DuckDbFile.heldElsewhere(refused), refused.getMessage());

    CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_WRITE); Statement sql = db.createStatement()) {
        sql.execute("INSERT INTO runs VALUES ('second')");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    });
    Thread.sleep(400);
    assertFalse(written.isDone(), "the writer waits while the reader is open");
    reader.close();
    long waited = written.get(30, TimeUnit.SECONDS);
    assertTrue(waited >= 400, "waited " + waited + " ms");
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_ONLY); Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM runs")) {
      rows.next();
      assertEquals(1, rows.getLong(1));
    }
  }

  @Test
  void otherFailuresAreNotWaitedOn(@TempDir Path dir) throws Exception {
    Path notADatabase = Files.writeString(dir.resolve("notes.duckdb"), "not a database file");
    long start = System.nanoTime();
    SQLException e = assertThrows(SQLException.class, () -> DuckDbFile.open(notADatabase, DuckDbFile.Access.READ_ONLY));
    assertFalse(DuckDbFile.heldElsewhere(e), e.getMessage());
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
  }
}

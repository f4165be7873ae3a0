package io.segflow.dsl.load;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.model.SqlOrigin;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.text.Utf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the SQL file a definition names, which must stay inside the definition's folder: a definition is
 * reviewed as a folder, so what it runs must be in that folder too.
 */
final class SqlFileResolver {
  private SqlFileResolver() {}

  /** The SQL text, or the diagnostic that says why it cannot be had. */
  sealed interface Resolved permits Found, Problem {}

  record Found(SqlText sql) implements Resolved {}

  record Problem(Diagnostic diagnostic) implements Resolved {}

  static Resolved resolve(Path definitionFile, String definitionDisplay, String relative, Position at) {
    Path folder = definitionFile.toAbsolutePath().normalize().getParent();
    Path target;
    try {
      Path given = Path.of(relative);
      if (given.isAbsolute()) {
        return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_OUTSIDE,
            "sql_file must be relative to the definition's folder, got the absolute path " + relative);
      }
      target = folder.resolve(given).normalize();
    } catch (InvalidPathException e) {
      return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING, "sql_file is not a valid path: " + e.getReason());
    }
    if (!target.startsWith(folder)) {
      return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_OUTSIDE,
          "sql_file '" + relative + "' leaves the definition's folder; keep the SQL next to the definition");
    }
    if (!Files.isRegularFile(target)) {
      return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING,
          "sql_file '" + relative + "' does not exist (looked for " + target + ")");
    }
    try {
      // A link inside the folder may still point outside it.
      if (!target.toRealPath().startsWith(folder.toRealPath())) {
        return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_OUTSIDE,
            "sql_file '" + relative + "' is a link to a file outside the definition's folder");
      }
      byte[] bytes = DocumentReader.readBounded(target).orElse(null);
      if (bytes == null) {
        return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING, "sql_file '" + relative + "' is too large");
      }
      Optional<String> text = Utf8.decode(bytes);
      if (text.isEmpty()) {
        return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING, "sql_file '" + relative + "' is not UTF-8 text (or holds a NUL byte)");
      }
      if (text.get().isBlank()) {
        return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING, "sql_file '" + relative + "' is empty");
      }
      String display = displayOf(definitionDisplay, relative);
      return new Found(new SqlText(text.get(), SqlOrigin.ofFile(display)));
    } catch (IOException e) {
      return problem(definitionDisplay, at, DiagnosticCode.SQL_FILE_MISSING,
          "sql_file '" + relative + "' cannot be read: " + e.getMessage());
    }
  }

  /** The SQL file's path in the same form the user gave the definition's path. */
  private static String displayOf(String definitionDisplay, String relative) {
    Path parent = Path.of(definitionDisplay).getParent();
    return (parent == null ? Path.of(relative) : parent.resolve(relative)).normalize().toString();
  }

  private static Problem problem(String display, Position at, DiagnosticCode code, String message) {
    return new Problem(Diagnostic.error(display, at, code, "features.sql_file", message));
  }
}

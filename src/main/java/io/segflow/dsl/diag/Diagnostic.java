package io.segflow.dsl.diag;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a definition or environment: where (file as given, line, column), how bad, which
 * code, which field (a key path such as {@code segmentation.k}) and what to do about it.
 */
public record Diagnostic(
    String file, Position position, Severity severity, DiagnosticCode code, String field, String message) {

  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::file)
          .thenComparing(Diagnostic::position)
          .thenComparing(d -> d.code().code());

  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    field = field == null ? "" : field;
  }

  public static Diagnostic error(String file, Position at, DiagnosticCode code, String field, String message) {
    return new Diagnostic(file, at, Severity.ERROR, code, field, message);
  }

  public static Diagnostic warning(String file, Position at, DiagnosticCode code, String field, String message) {
    return new Diagnostic(file, at, Severity.WARNING, code, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code path:line:col: error[SF104] segmentation.k: message} */
  public String render() {
    String where = field.isEmpty() ? "" : field + ": ";
    return file + ":" + position.line() + ":" + position.column() + ": " + severity.label()
        + "[" + code.code() + "] " + where + message;
  }
}

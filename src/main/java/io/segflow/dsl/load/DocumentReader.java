package io.segflow.dsl.load;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads one YAML file and checks it against a schema: the first two stages of loading anything. */
public final class DocumentReader {
  private DocumentReader() {}

  /** A parsed document (absent when it could not be parsed) and every problem found so far. */
  public record Read(Optional<YamlDocument> document, List<Diagnostic> diagnostics) {
    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  public static Read read(Path file, String displayPath, SchemaValidator schema) {
    Optional<byte[]> bytes;
    try {
      bytes = readBounded(file);
    } catch (NoSuchFileException e) {
      return failed(displayPath, "file does not exist");
    } catch (IOException e) {
      return failed(displayPath, "cannot read the file: " + e.getMessage());
    }
    if (bytes.isEmpty()) {
      return new Read(Optional.empty(), List.of(Diagnostic.error(displayPath, Position.START,
          DiagnosticCode.FILE_TOO_LARGE, "", String.format(
              "file is larger than %,d bytes; definitions and environments are a page or two of YAML",
              YamlLoader.MAX_BYTES))));
    }
    return parse(displayPath, bytes.get(), schema);
  }

  /** Parses and schema-checks text already in memory (used by tests and by the file reader). */
  public static Read parse(String displayPath, byte[] bytes, SchemaValidator schema) {
    YamlLoader.Result result = YamlLoader.load(displayPath, bytes);
    if (result instanceof YamlLoader.Failed failed) {
      return new Read(Optional.empty(), List.of(failed.diagnostic()));
    }
    YamlDocument document = ((YamlLoader.Loaded) result).document();
    return new Read(Optional.of(document), schema.validate(document));
  }

  /** The file's bytes, or empty if it holds more than the loader accepts (never reads a huge file whole). */
  static Optional<byte[]> readBounded(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("it is a folder, not a file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(YamlLoader.MAX_BYTES + 1);
      return bytes.length > YamlLoader.MAX_BYTES ? Optional.empty() : Optional.of(bytes);
    }
  }

  private static Read failed(String displayPath, String message) {
    return new Read(Optional.empty(), List.of(
        Diagnostic.error(displayPath, Position.START, DiagnosticCode.FILE_UNREADABLE, "", message)));
  }
}

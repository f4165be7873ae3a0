package io.segflow.transforms.io;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Rows into one CSV file ({@link CsvFormat}) with a header, written as {@link LineFile} writes: parts where
 * the rows are, joined behind the header once every part is written.
 *
 * <pre>{@code
 * PCollection<String> written = members.apply("WriteMembers", CsvFile.write("/runs/r1/members.csv"));
 * }</pre>
 */
public final class CsvFile {
  private CsvFile() {}

  /** A file path or URI any Beam file system knows. */
  public static Write write(String file) {
    if (file == null || file.isBlank() || file.endsWith("/")) {
      throw new IllegalArgumentException("CsvFile.write needs a file name, got '" + file + "'");
    }
    return new Write(file);
  }

  /** The transform; its output is the written file's path, once the file is complete. */
  public static final class Write extends PTransform<PCollection<Row>, PCollection<String>> {
    private final String file;

    private Write(String file) {
      this.file = file;
    }

    @Override
    public PCollection<String> expand(PCollection<Row> rows) {
      return rows.apply("Lines", LineFile.<Row>write(file, CsvFormat::line).withHeader(CsvFormat.header(rows.getSchema())));
    }
  }
}

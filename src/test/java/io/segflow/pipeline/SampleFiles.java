package io.segflow.pipeline;

import io.segflow.transforms.io.CsvRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Parts of the bundled sample as files a test's environment binds, and CSV files read back. */
public final class SampleFiles {
  /** The shipped k-means definition whose features stream. */
  public static final Path STREAMED_KMEANS = Path.of("segment-definitions/online_retail_rfm_kmeans_streaming.yaml");
  private static final List<String> PURCHASE_COLUMNS = List.of("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice",
      "CustomerID");

  private SampleFiles() {}

  /**
   * The Online Retail sample's lines of every tenth customer (customer number divisible by 10; 442 with
   * purchases), in the columns the purchase definitions read.
   */
  public static Path writeTenthOfTheRetailSample(Path csv) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
            Files.newInputStream(Path.of("segment-definitions/data/online_retail.csv.gz"))), StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(csv)) {
      CsvRecords records = new CsvRecords(in, ',');
      List<String> header = records.next().fields();
      out.write(String.join(",", PURCHASE_COLUMNS) + "\n");
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        List<String> fields = r.fields();
        String customer = fields.get(header.indexOf("CustomerID"));
        if (!customer.isEmpty() && Double.parseDouble(customer) % 10 == 0) {
          out.write(String.join(",", PURCHASE_COLUMNS.stream().map(c -> fields.get(header.indexOf(c))).toList())
              + "\n");
        }
      }
    }
    return csv;
  }

  /** A CSV file's records, the header first (quoted fields, such as labels with commas, unquoted). */
  public static List<List<String>> records(Path csv) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv)) {
      CsvRecords records = new CsvRecords(in, ',');
      List<List<String>> out = new ArrayList<>();
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        out.add(r.fields());
      }
      return out;
    }
  }

  /** Two columns of a CSV file, as a map from the first to the second. */
  public static java.util.Map<String, String> column(Path csv, String key, String value) throws IOException {
    List<List<String>> rows = records(csv);
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      out.put(row.get(rows.get(0).indexOf(key)), row.get(rows.get(0).indexOf(value)));
    }
    return out;
  }
}

package io.segflow.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What a published run's folder says, read into memory in bounded form: the run's report and model, one
 * row per segment, the seeded sample, and the transitions counted per (from, to) pair while streaming the
 * file (it has a row per member).
 *
 * @param runJson run.json: counts, parameters, refresh, provenance
 * @param model model.json, for methods that fit one
 * @param segments segments.csv, one map per segment, columns in the file's order
 * @param sample sample.csv (empty for runs made before segflow wrote one)
 * @param transitions members per (previous segment, segment); a null previous segment is a new member
 */
public record RunFolder(Path folder, JsonNode runJson, Optional<JsonNode> model, List<Map<String, String>> segments,
    Optional<Sample> sample, Map<Transition, Long> transitions) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** sample.csv names each feature's column so, apart from segment_id whatever the features are called. */
  private static final String FEATURE_PREFIX = "feature_";
  private static final List<String> SEGMENT_COLUMNS = List.of("segment_id", "segment_label", "size", "share");
  private static final CSVFormat CSV = CSVFormat.DEFAULT.withFirstRecordAsHeader();

  /** The sampled members: each one's segment and feature values (NaN where the value is missing). */
  public record Sample(List<String> features, int[] segments, double[][] values) {
    public int size() {
      return segments.length;
    }
  }

  /** One cell of the transition matrix; {@code from} is null for members the previous run did not have. */
  public record Transition(Integer from, int to) {}

  public RunFolder {
    segments = List.copyOf(segments);
    transitions = java.util.Collections.unmodifiableMap(transitions);
  }

  /** Reads the folder a run published (or one kept unpublished); says which file is missing or unreadable. */
  public static RunFolder read(Path folder) throws IOException {
    Path runJson = folder.resolve("run.json");
    if (!Files.isRegularFile(runJson)) {
      throw new IOException(folder + " is not a run's folder: it has no run.json (a run writes its files to "
          + "<output>/<definition>/<run id>/)");
    }
    JsonNode run = readJson(runJson);
    Optional<JsonNode> model = Files.isRegularFile(folder.resolve("model.json"))
        ? Optional.of(readJson(folder.resolve("model.json"))) : Optional.empty();
    List<Map<String, String>> segments = new ArrayList<>();
    Path segmentsCsv = required(folder, "segments.csv");
    try (CSVParser parser = parse(segmentsCsv)) {
      for (String column : SEGMENT_COLUMNS) {
        if (!parser.getHeaderNames().contains(column)) {
          throw new IOException(segmentsCsv + ":1: no column " + column + " (a run's segments.csv has "
              + String.join(", ", SEGMENT_COLUMNS) + " and the profile's columns)");
        }
      }
      for (CSVRecord r : records(segmentsCsv, parser)) {
        integer(segmentsCsv, r, "segment_id");
        for (String column : parser.getHeaderNames()) {
          if (column.equals("size") || column.equals("share") || column.matches(".*_(mean|median|min|max)")) {
            if (!r.get(column).isEmpty()) {
              number(segmentsCsv, r, column, r.get(column));
            }
          }
        }
        segments.add(new LinkedHashMap<>(r.toMap()));
      }
    }
    segments.sort(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.get("segment_id"))));
    Optional<Sample> sample = Files.isRegularFile(folder.resolve("sample.csv"))
        ? Optional.of(sample(folder.resolve("sample.csv"))) : Optional.empty();
    Map<Transition, Long> transitions = Files.isRegularFile(folder.resolve("transitions.csv"))
        ? transitions(folder.resolve("transitions.csv")) : Map.of();
    return new RunFolder(folder, run, model, segments, sample, transitions);
  }

  private static Path required(Path folder, String name) throws IOException {
    Path file = folder.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(folder + " has run.json but no " + name + "; was the run's folder copied in part?");
    }
    return file;
  }

  private static JsonNode readJson(Path file) throws IOException {
    try {
      return JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ":" + e.getLocation().getLineNr() + ": not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The records, read whole so that a CSV syntax error is reported with the file it is in. */
  private static List<CSVRecord> records(Path file, CSVParser parser) throws IOException {
    try {
      return parser.getRecords();
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
      throw notCsv(file, e);
    }
  }

  private static IOException notCsv(Path file, Exception e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new IOException(file + ": not CSV: " + cause.getMessage(), e);
  }

  private static void requireColumns(Path file, CSVParser parser, String... columns) throws IOException {
    for (String column : columns) {
      if (!parser.getHeaderNames().contains(column)) {
        throw new IOException(file + ":1: no column " + column);
      }
    }
  }

  private static CSVParser parse(Path file) throws IOException {
    Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    return CSVParser.parse(reader, CSV);
  }

  private static Sample sample(Path file) throws IOException {
    try (CSVParser parser = parse(file)) {
      requireColumns(file, parser, "segment_id");
      List<String> columns = parser.getHeaderNames().stream().filter(h -> h.startsWith(FEATURE_PREFIX)).toList();
      List<String> features = columns.stream().map(h -> h.substring(FEATURE_PREFIX.length())).toList();
      List<int[]> ids = new ArrayList<>();
      List<double[]> rows = new ArrayList<>();
      for (CSVRecord r : records(file, parser)) {
        ids.add(new int[] {integer(file, r, "segment_id")});
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
          String text = r.get(columns.get(i));
          values[i] = text.isEmpty() ? Double.NaN : number(file, r, columns.get(i), text);
        }
        rows.add(values);
      }
      return new Sample(features, ids.stream().mapToInt(a -> a[0]).toArray(), rows.toArray(double[][]::new));
    }
  }

  private static Map<Transition, Long> transitions(Path file) throws IOException {
    Map<Transition, Long> counts = new TreeMap<>(java.util.Comparator
        .comparing((Transition t) -> t.from() == null ? Integer.MIN_VALUE : t.from())
        .thenComparingInt(Transition::to));
    try (CSVParser parser = parse(file)) {
      requireColumns(file, parser, "from_segment_id", "to_segment_id");
      // Streamed, not read whole: the file has a row per member.
      java.util.Iterator<CSVRecord> rows = parser.iterator();
      while (true) {
        CSVRecord r;
        try {
          if (!rows.hasNext()) {
            break;
          }
          r = rows.next();
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
          throw notCsv(file, e);
        }
        String from = r.get("from_segment_id");
        String to = r.get("to_segment_id");
        if (to.isEmpty()) {
          continue; // a member of the previous run who left: counted by the refresh, not a cell of this run
        }
        counts.merge(new Transition(from.isEmpty() ? null : integer(file, r, "from_segment_id"),
            integer(file, r, "to_segment_id")), 1L, Long::sum);
      }
    }
    return counts;
  }

  private static int integer(Path file, CSVRecord r, String column) throws IOException {
    try {
      return Integer.parseInt(r.get(column));
    } catch (NumberFormatException e) {
      throw new IOException(file + ":" + (r.getRecordNumber() + 1) + ": " + column + " is not an integer: \""
          + r.get(column) + "\"");
    }
  }

  private static double number(Path file, CSVRecord r, String column, String text) throws IOException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + ":" + (r.getRecordNumber() + 1) + ": " + column + " is not a number: \""
          + text + "\"");
    }
  }
}

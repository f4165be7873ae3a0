package io.segflow.transforms.io;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.ByteStreams;

/**
 * Elements into one UTF-8 text file, a line each, behind an optional header, without grouping them: every
 * bundle writes a part file of its own beside the file, and one step joins the listed parts, in name
 * order, behind the header, then deletes them. TextIO's one-file write groups every line under one key,
 * which the DirectRunner holds and copies element by element (1M lines took 16 s there); here the parts
 * are written where the elements are, in parallel, on every runner. Parts of a failed attempt at a bundle
 * are not listed, and are deleted with the rest. The list of parts reaches the joining step as its input,
 * not as a side input, so no step waits on one from the pipeline's start. Elements must be in the global
 * window (a batch run's).
 *
 * <pre>{@code
 * PCollection<String> written = json.apply("WriteModel", LineFile.write("/runs/r1/model.json", line -> line));
 * }</pre>
 */
public final class LineFile {
  private LineFile() {}

  /** A file path or URI any Beam file system knows, and each element's line (without its line break). */
  public static <T> Write<T> write(String file, SerializableFunction<T, String> line) {
    if (file == null || file.isBlank() || file.endsWith("/")) {
      throw new IllegalArgumentException("LineFile.write needs a file name, got '" + file + "'");
    }
    if (line == null) {
      throw new IllegalArgumentException("LineFile.write needs a function from element to line, got null");
    }
    return new Write<>(file, line, null);
  }

  /** The transform; its output is the written file's path, once the file is complete. */
  public static final class Write<T> extends PTransform<PCollection<T>, PCollection<String>> {
    private final String file;
    private final SerializableFunction<T, String> line;
    private final String header;

    private Write(String file, SerializableFunction<T, String> line, String header) {
      this.file = file;
      this.line = line;
      this.header = header;
    }

    /** A first line, written even when there are no elements. */
    public Write<T> withHeader(String header) {
      if (header == null || header.contains("\n")) {
        throw new IllegalArgumentException("LineFile.Write.withHeader needs one line, got '" + header + "'");
      }
      return new Write<>(file, line, header);
    }

    @Override
    public PCollection<String> expand(PCollection<T> elements) {
      ResourceId target = FileSystems.matchNewResource(file, false);
      // Parts are hidden files next to the target, named for this pipeline so no other run's are taken.
      String partPrefix = target.getCurrentDirectory().resolve("." + target.getFilename() + "-"
          + UUID.randomUUID() + "-", StandardResolveOptions.RESOLVE_FILE)
          .toString();
      return elements
          .apply("Parts", ParDo.of(new WritePartsFn<>(partPrefix, line))).setCoder(StringUtf8Coder.of())
          .apply("PartList", GloballyOrDefault.of(new PartListFn())).setCoder(ListCoder.of(StringUtf8Coder.of()))
          .apply("Join", ParDo.of(new JoinPartsFn(file, header, partPrefix))).setCoder(StringUtf8Coder.of());
    }
  }

  /** Writes each bundle's elements into a part file of its own, and outputs the part's path when the bundle ends. */
  static final class WritePartsFn<T> extends DoFn<T, String> {
    private final String partPrefix;
    private final SerializableFunction<T, String> line;
    private transient Writer writer;
    private transient String part;

    WritePartsFn(String partPrefix, SerializableFunction<T, String> line) {
      this.partPrefix = partPrefix;
      this.line = line;
    }

    @ProcessElement
    public void process(@Element T element) throws IOException {
      if (writer == null) {
        part = partPrefix + UUID.randomUUID() + ".part";
        OutputStream out = Channels.newOutputStream(FileSystems.create(FileSystems.matchNewResource(part, false),
            MimeTypes.TEXT));
        writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      }
      writer.write(line.apply(element));
      writer.write('\n');
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws IOException {
      if (writer != null) {
        writer.close();
        writer = null;
        c.output(part, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }

    @Teardown
    public void teardown() throws IOException {
      if (writer != null) { // a bundle that failed: its part is never listed, and is deleted with the rest
        writer.close();
        writer = null;
      }
    }
  }

  /** The written parts' paths, in name order (part names are random: the order is so a retry writes the same file). */
  static final class PartListFn extends Combine.CombineFn<String, List<String>, List<String>> {
    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> parts, String part) {
      parts.add(part);
      return parts;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accumulators) {
      List<String> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<String> extractOutput(List<String> parts) {
      List<String> sorted = new ArrayList<>(parts);
      sorted.sort(null);
      return sorted;
    }
  }

  /** Joins the listed parts behind the header into the file, then deletes every part of this write. */
  static final class JoinPartsFn extends DoFn<List<String>, String> {
    private final String file;
    private final String header;
    private final String partPrefix;

    JoinPartsFn(String file, String header, String partPrefix) {
      this.file = file;
      this.header = header;
      this.partPrefix = partPrefix;
    }

    @ProcessElement
    public void process(@Element List<String> parts, OutputReceiver<String> out) throws IOException {
      ResourceId joined = FileSystems.matchNewResource(partPrefix + "joined", false);
      try (OutputStream written = Channels.newOutputStream(FileSystems.create(joined, MimeTypes.TEXT))) {
        if (header != null) {
          written.write((header + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (String part : parts) {
          try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(part, false)))) {
            ByteStreams.copy(in, written);
          }
        }
      }
      ResourceId target = FileSystems.matchNewResource(file, false);
      FileSystems.delete(List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      FileSystems.rename(List.of(joined), List.of(target));
      List<ResourceId> leftovers = new ArrayList<>();
      for (MatchResult.Metadata m : FileSystems.match(partPrefix + "*", EmptyMatchTreatment.ALLOW).metadata()) {
        leftovers.add(m.resourceId());
      }
      FileSystems.delete(leftovers, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      out.output(file);
    }
  }
}

package io.segflow.transforms.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * JSON lines: a declared key that no record has is a renamed field or a wrong export, not bad records.
 * Where absent keys are rejects, a file none of whose records has the key fails the read, naming the file
 * (otherwise its every record would be a reject while the source's other files still fill the run). Where
 * absent keys read as NULL ({@code missing_keys: null}, for producers that leave NULL fields out, so that a
 * column may well be NULL throughout one small file), the read fails only when no record of any file of
 * the source has the key: every value of the column would silently be NULL.
 *
 * <p>Each chunk of a file counts its JSON objects and, per declared key, those that have it (as a list:
 * records, then one count per key); the counts are summed per file, or over the source.
 */
final class KeyPresence extends PTransform<PCollection<KV<String, List<Long>>>, PDone> {
  static final Coder<KV<String, List<Long>>> CODER = KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarLongCoder.of()));

  /** The key the counts of a whole source are summed under. */
  private static final String WHOLE_SOURCE = "";

  private final String source;
  private final List<String> keys;
  private final boolean perFile;

  /** @param perFile whether each file must have every key (absent keys are rejects), or only the source */
  KeyPresence(String source, List<String> keys, boolean perFile) {
    this.source = source;
    this.keys = List.copyOf(keys);
    this.perFile = perFile;
  }

  /** One chunk's counts: its objects, then per key how many have it. */
  static KV<String, List<Long>> counts(String path, long records, long[] present) {
    List<Long> counts = new ArrayList<>(present.length + 1);
    counts.add(records);
    for (long p : present) {
      counts.add(p);
    }
    return KV.of(path, counts);
  }

  @Override
  public PDone expand(PCollection<KV<String, List<Long>>> counts) {
    PCollection<KV<String, List<Long>>> scoped = perFile ? counts : counts
        .apply("WholeSource", MapElements.into(CODER.getEncodedTypeDescriptor())
            .via(chunk -> KV.of(WHOLE_SOURCE, chunk.getValue()))).setCoder(CODER);
    scoped
        .apply("Sum", Combine.perKey(new SumFn())).setCoder(CODER)
        .apply("Require", ParDo.of(new RequireFn(source, keys)));
    return PDone.in(counts.getPipeline());
  }

  /** Adds counts position by position. */
  static final class SumFn extends Combine.BinaryCombineFn<List<Long>> {
    @Override
    public List<Long> apply(List<Long> left, List<Long> right) {
      List<Long> sum = new ArrayList<>(left.size());
      for (int i = 0; i < left.size(); i++) {
        sum.add(left.get(i) + right.get(i));
      }
      return sum;
    }
  }

  /** Fails the read where there are records and none of them has a declared key. */
  static final class RequireFn extends DoFn<KV<String, List<Long>>, Void> {
    private final String source;
    private final List<String> keys;

    RequireFn(String source, List<String> keys) {
      this.source = source;
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element KV<String, List<Long>> file) {
      List<Long> counts = file.getValue();
      long records = counts.get(0);
      List<String> absent = new ArrayList<>();
      for (int k = 0; k < keys.size(); k++) {
        if (records > 0 && counts.get(k + 1) == 0) {
          absent.add(keys.get(k));
        }
      }
      if (!absent.isEmpty()) {
        String where = file.getKey().equals(WHOLE_SOURCE)
            ? String.format(java.util.Locale.ROOT, "none of its %,d records in any file", records)
            : String.format(java.util.Locale.ROOT, "%s: none of its %,d records", file.getKey(), records);
        throw new IllegalArgumentException("source " + source + ": " + where + " has key"
            + (absent.size() == 1 ? " " : "s ") + String.join(", ", absent.stream().map(k -> "'" + k + "'").toList())
            + ", which the definition declares; check the names in the data against the source's columns");
      }
    }
  }
}

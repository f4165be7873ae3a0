package io.segflow.bench;

import java.util.SplittableRandom;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/**
 * Seeded Gaussian blobs generated where they are used: chunk c of the data is a pure function of the
 * seed and c, so a pipeline generates its points in parallel on the workers (no point is ever held in
 * one place) and the in-process baseline can generate exactly the same points.
 */
final class BlobSource {
  static final int CHUNK = 10_000;

  private final long n;
  private final int d;
  private final int k;
  private final long seed;
  private final double[][] centers;

  BlobSource(long n, int d, int k, long seed) {
    this.n = n;
    this.d = d;
    this.k = k;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    centers = new double[k][d];
    for (double[] c : centers) {
      for (int j = 0; j < d; j++) {
        c[j] = (random.nextDouble() * 2 - 1) * 10;
      }
    }
  }

  long chunks() {
    return (n + CHUNK - 1) / CHUNK;
  }

  Schema schema() {
    Schema.Builder b = Schema.builder().addInt64Field("id");
    for (int j = 0; j < d; j++) {
      b.addDoubleField("f" + j);
    }
    return b.build();
  }

  /** Calls {@code sink} with the id and coordinates of every point of chunk {@code c}. */
  void chunk(long c, PointSink sink) {
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E37_79B9_7F4A_7C15L * (c + 1)));
    double[] point = new double[d];
    long end = Math.min(n, (c + 1) * CHUNK);
    for (long id = c * CHUNK; id < end; id++) {
      int label = (int) (id % k);
      for (int j = 0; j < d; j++) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        point[j] = centers[label][j] + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
      }
      sink.accept(id, point);
    }
  }

  interface PointSink {
    void accept(long id, double[] point);
  }

  /** Generates the rows of each chunk index it receives. */
  static final class GenerateFn extends DoFn<Long, Row> {
    private final long n;
    private final int d;
    private final int k;
    private final long seed;
    private transient BlobSource source;
    private transient Schema schema;

    GenerateFn(long n, int d, int k, long seed) {
      this.n = n;
      this.d = d;
      this.k = k;
      this.seed = seed;
    }

    @Setup
    public void setup() {
      source = new BlobSource(n, d, k, seed);
      schema = source.schema();
    }

    @ProcessElement
    public void process(@Element Long chunk, OutputReceiver<Row> out) {
      source.chunk(chunk, (id, point) -> {
        Object[] values = new Object[d + 1];
        values[0] = id;
        for (int j = 0; j < d; j++) {
          values[j + 1] = point[j];
        }
        out.output(Row.withSchema(schema).attachValues(values));
      });
    }
  }
}

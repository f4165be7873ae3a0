package io.segflow.bench;

import io.segflow.pipeline.RunOptions;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.kmeans.KMeans;
import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.kmeans.KMeansResult;
import io.segflow.transforms.points.Scaling;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Times {@link KMeans#fit()} on seeded blobs, one run per process (the JVM's start counts in the whole
 * process time, as for every peer it is compared with). Prints one line of figures:
 *
 * <pre>
 * java -cp target/segflow.jar:$(cat target/runtime-classpath.txt) io.segflow.bench.KMeansBench \
 *     RUNNER N [D] [K] [SEED]        RUNNER: direct | flink | empty-direct | empty-flink | commons-math
 * </pre>
 *
 * {@code empty-*} runs a job of the same shape that reads the same data and does nothing, to measure the
 * runner's own cost; {@code commons-math} clusters the same points in process with Commons Math's
 * KMeansPlusPlusClusterer (one run, k-means++), the in-process baseline. {@code bench/kmeans.sh} runs the
 * whole table with medians of three.
 */
public final class KMeansBench {
  private KMeansBench() {}

  public static void main(String[] args) {
    long processStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
        .orElse(System.currentTimeMillis());
    String runner = args[0];
    long n = Long.parseLong(args[1].replace("_", ""));
    int d = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
    BlobSource source = new BlobSource(n, d, k, seed);
    long fitStart = System.currentTimeMillis();
    String figures = runner.equals("commons-math") ? commonsMath(source, n, d, k, seed)
        : beam(runner, source, n, d, k, seed);
    long end = System.currentTimeMillis();
    System.out.printf("runner=%s N=%d d=%d k=%d whole_s=%.2f fit_s=%.2f %s%n", runner, n, d, k,
        (end - processStart) / 1000.0, (end - fitStart) / 1000.0, figures);
  }

  private static String beam(String runner, BlobSource source, long n, int d, int k, long seed) {
    boolean empty = runner.startsWith("empty-");
    Pipeline p = Pipeline.create(options(runner.replace("empty-", "")));
    var rows = p.apply("Chunks", GenerateSequence.from(0).to(source.chunks()))
        .apply("Generate", ParDo.of(new BlobSource.GenerateFn(n, d, k, seed))).setRowSchema(source.schema());
    ModelCapture.clear();
    if (empty) {
      rows.apply("Count", Count.globally());
    } else {
      List<FeatureSpec> features = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        features.add(FeatureSpec.of("f" + j));
      }
      KMeansResult result = rows.apply("KMeans", KMeans.fit().withEntityField("id").withFeatures(features)
          .withK(k).withSeed(seed).withScaling(Scaling.NONE));
      result.model().apply("Capture", ParDo.of(new ModelCapture()));
    }
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended " + state);
    }
    KMeansModel model = ModelCapture.model;
    return empty ? "passes=0 inertia=-" : String.format("passes=%d inertia=%.6e", model.passes(), model.inertia());
  }

  /** segflow's own run options, so the benchmark measures what segflow run does. */
  private static PipelineOptions options(String runner) {
    return runner.equals("flink") ? RunOptions.flink("[local]") : RunOptions.direct();
  }

  private static String commonsMath(BlobSource source, long n, int d, int k, long seed) {
    List<org.apache.commons.math3.ml.clustering.DoublePoint> points = new ArrayList<>((int) n);
    for (long c = 0; c < source.chunks(); c++) {
      source.chunk(c, (id, point) -> points.add(new org.apache.commons.math3.ml.clustering.DoublePoint(point.clone())));
    }
    var clusterer = new org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer<
        org.apache.commons.math3.ml.clustering.DoublePoint>(k, 300,
        new org.apache.commons.math3.ml.distance.EuclideanDistance(),
        new org.apache.commons.math3.random.Well19937c(seed));
    double inertia = 0;
    for (var cluster : clusterer.cluster(points)) {
      double[] c = cluster.getCenter().getPoint();
      for (var p : cluster.getPoints()) {
        double[] x = p.getPoint();
        for (int j = 0; j < d; j++) {
          inertia += (x[j] - c[j]) * (x[j] - c[j]);
        }
      }
    }
    return String.format("passes=- inertia=%.6e", inertia);
  }

  /** Hands the model to the launching process (the embedded runners share its JVM). */
  static final class ModelCapture extends DoFn<KMeansModel, Void> {
    static volatile KMeansModel model;

    static void clear() {
      model = null;
    }

    @ProcessElement
    public void process(@Element KMeansModel m) {
      model = m;
    }
  }
}

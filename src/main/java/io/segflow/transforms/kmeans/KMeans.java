package io.segflow.transforms.kmeans;

import io.segflow.transforms.batching.DirectRunnerCheck;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.points.AssignStored;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.PointBlock;
import io.segflow.transforms.points.PointsSpec;
import io.segflow.transforms.points.PreparePoints;
import io.segflow.transforms.points.PreparedPoints;
import io.segflow.transforms.points.PreparedSample;
import io.segflow.transforms.points.Scaling;
import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Distributed, deterministic k-means for Beam.
 *
 * <pre>{@code
 * KMeansResult result = customers.apply(KMeans.fit()
 *     .withEntityField("customer_id")
 *     .withFeatures(FeatureSpec.of("recency_days"),
 *                   FeatureSpec.of("monetary").withTransform(FeatureTransform.LOG1P))
 *     .withK(5)
 *     .withSeed(42));
 * result.model();        // PCollection<KMeansModel>, one element
 * result.assignments();  // customer_id, segment_id, distance, margin (then the features: withFeaturesInAssignments)
 * result.rejects();      // entity, reason, record
 * }</pre>
 *
 * <p>The full data is read only a few times: one pass builds an exact summary of every feature and a
 * seeded sample of the points; k-means with several restarts runs in memory on the sample; a fixed
 * number of global Lloyd passes refine the centroids (centroids in as a side input, exact per-cluster sums
 * out, O(k·d) per bundle); a last pass assigns. Points travel in dense blocks. Every sum is exact and the
 * sample is chosen by seeded hashes of the entity keys, so a seed gives the same model and assignments on
 * every runner, whatever the bundling. {@link KMeansModel#passes()} reports the passes made.
 */
public final class KMeans {
  private KMeans() {}

  /** A stored k-means model, as {@link AssignStored} assigns with it: nearest centroid, or a tree's descent. */
  public static final AssignStored.Method<KMeansModel> STORED =
      new AssignStored.Method<>("KMeans", KMeansModelCoder.of(), Assigner::of, true);

  /**
   * Assigns rows to the segments of a stored model ({@link AssignStored}), each to its nearest centroid
   * (a bisecting model's: the leaf its descent reaches), with the distance to it and the margin to the
   * runner-up.
   */
  public static AssignStored<KMeansModel> assign(KMeansModel model) {
    return AssignStored.of(STORED, model);
  }

  /** As {@link #assign(KMeansModel)}, with the model as a side input, which may be refreshed. */
  public static AssignStored<KMeansModel> assign(PCollectionView<KMeansModel> model, String entityField) {
    return AssignStored.of(STORED, model, entityField);
  }

  /** A fit with the defaults documented on each {@code with} method. */
  public static Fit fit() {
    return new Fit(Settings.builder()
        .setPoints(PointsSpec.defaults())
        .setKMin(0)
        .setKMax(0)
        .setSelection(SelectionCriterion.SILHOUETTE)
        .setMinClusterShare(0)
        .setInit(Init.KMEANS_PLUS_PLUS)
        .setRestarts(10)
        .setMaxIterations(300)
        .setTolerance(1e-4)
        .setRefinementPasses(2)
        .setEmptyClusters(EmptyClusterPolicy.FARTHEST_POINT)
        .setBisecting(false)
        .setMinDivisibleSize(1)
        .setSilhouetteSampleSize(2048)
        .build());
  }

  /** Fits k-means to rows; immutable, every {@code withX} returns a new transform. */
  public static final class Fit extends PTransform<PCollection<Row>, KMeansResult> {
    private final Settings s;

    private Fit(Settings settings) {
      this.s = settings;
    }

    private static void check(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException("Invalid KMeans.Fit: " + String.format(format, args));
      }
    }

    private Fit withPoints(java.util.function.UnaryOperator<PointsSpec> change) {
      return new Fit(s.toBuilder().setPoints(s.points().changed("KMeans.Fit", change)).build());
    }

    /** The key field of each row; STRING, INT64 or INT32. Default {@code entity}. */
    public Fit withEntityField(String field) {
      return withPoints(p -> p.withEntityField(field));
    }

    /** The numeric feature fields, each with its transform and clipping. Required. */
    public Fit withFeatures(FeatureSpec... features) {
      return withFeatures(List.of(features));
    }

    public Fit withFeatures(List<FeatureSpec> features) {
      return withPoints(p -> p.withFeatures(features));
    }

    /** A positive numeric field weighting each point. Default: every point weighs 1. */
    public Fit withWeightField(String field) {
      return withPoints(p -> p.withWeightField(field));
    }

    /** The number of clusters, 2 to 1,000. Required (or {@link #withKSweep}). */
    public Fit withK(int k) {
      check(k >= 2 && k <= 1000, "k must be between 2 and 1000, got %d", k);
      return withKRange(k, k, s.selection());
    }

    /** Fits every k from min to max in shared passes and keeps the one the criterion prefers. */
    public Fit withKSweep(int min, int max, SelectionCriterion criterion) {
      check(min >= 2 && max <= 1000 && min <= max, "k sweep must satisfy 2 <= min <= max <= 1000, got min=%d, max=%d",
          min, max);
      check(criterion != null, "k sweep needs a selection criterion");
      return withKRange(min, max, criterion);
    }

    /**
     * Granularity for a sweep: only a k whose smallest cluster holds at least this share of the weight (0 to
     * 0.5) may be picked; the criterion chooses among those, and a fit where none does fails naming each k's
     * smallest share. Default 0: no floor.
     */
    public Fit withMinSegmentShare(double share) {
      check(share >= 0 && share <= 0.5, "min segment share must be between 0 and 0.5, got %s", share);
      return new Fit(s.toBuilder().setMinClusterShare(share).build());
    }

    private Fit withKRange(int min, int max, SelectionCriterion criterion) {
      return new Fit(s.toBuilder().setKMin(min).setKMax(max).setSelection(criterion).build());
    }

    /** Seeds the sample, the restarts and every other random choice. Default 42. */
    public Fit withSeed(long seed) {
      return withPoints(p -> p.withSeed(seed));
    }

    /** Default {@link Scaling#STANDARD}. */
    public Fit withScaling(Scaling scaling) {
      return withPoints(p -> p.withScaling(scaling));
    }

    /** Default {@link NullPolicy#REJECT}. */
    public Fit withNullPolicy(NullPolicy nulls) {
      return withPoints(p -> p.withNulls(nulls));
    }

    /** Default {@link Init#KMEANS_PLUS_PLUS}. */
    public Fit withInit(Init init) {
      check(init != null, "init must be given");
      return new Fit(s.toBuilder().setInit(init).build());
    }

    /** Restarts of the in-memory solve, 1 to 100; the lowest inertia wins. Default 10. */
    public Fit withRestarts(int restarts) {
      check(restarts >= 1 && restarts <= 100, "restarts must be between 1 and 100, got %d", restarts);
      return new Fit(s.toBuilder().setRestarts(restarts).build());
    }

    /** Lloyd iterations of the in-memory solve, 1 to 10,000. Default 300. */
    public Fit withMaxIterations(int maxIterations) {
      check(maxIterations >= 1 && maxIterations <= 10_000, "max iterations must be between 1 and 10000, got %d",
          maxIterations);
      return new Fit(s.toBuilder().setMaxIterations(maxIterations).build());
    }

    /**
     * Convergence: centroids whose squared movement summed over clusters is at most tolerance times the
     * mean feature variance have converged (scikit-learn's rule). 0 to 1. Default 1e-4.
     */
    public Fit withTolerance(double tolerance) {
      check(tolerance >= 0 && tolerance <= 1, "tolerance must be between 0 and 1, got %s", tolerance);
      return new Fit(s.toBuilder().setTolerance(tolerance).build());
    }

    /** Global Lloyd passes over the full data after the in-memory solve, 0 to 50. Default 2. */
    public Fit withRefinementPasses(int passes) {
      check(passes >= 0 && passes <= 50, "refinement passes must be between 0 and 50, got %d", passes);
      return new Fit(s.toBuilder().setRefinementPasses(passes).build());
    }

    /**
     * Starts the in-memory solve from these centroids instead of seeded restarts, when the k being solved
     * equals their number (other k of a sweep solve as usual): a refit on similar data then converges to
     * the same clusters, as BigQuery ML's warm start does. One row per centroid, one value per feature, in
     * the features' transformed units (after log1p or sqrt, before scaling): the scaler is fitted anew.
     */
    public Fit withWarmStart(double[][] centroids) {
      check(centroids != null && centroids.length >= 1, "warm-start centroids must be given");
      for (double[] c : centroids) {
        check(c.length == s.dimensions(), "each warm-start centroid needs one value per feature (%d), got %d",
            s.dimensions(), c.length);
        for (double v : c) {
          check(Double.isFinite(v), "warm-start centroids must be finite, got %s", v);
        }
      }
      List<double[]> copy = new java.util.ArrayList<>();
      for (double[] c : centroids) {
        copy.add(c.clone());
      }
      return new Fit(s.toBuilder().setWarmStartOrNull(List.copyOf(copy)).build());
    }

    /**
     * Hierarchical, top-down (bisecting k-means, as Spark MLlib's and scikit-learn's): the k clusters are the
     * leaves of a binary tree grown on the sample by splitting the leaf of largest inertia in two with the
     * in-memory solve (restarts, init, iterations and tolerance as for a flat fit), refined on the full data
     * by global passes that move every node at once; a point belongs to the leaf it reaches by descending to
     * the nearer child at every split. The model's {@link KMeansModel#tree()} keeps the hierarchy. Needs one
     * k (no sweep).
     *
     * @param minDivisibleSize a leaf is split only when it holds at least this many entities (when at least
     *     1) or this share of them (when below 1); 1 splits any leaf with two distinct points
     */
    public Fit withBisecting(double minDivisibleSize) {
      check(minDivisibleSize > 0 && Double.isFinite(minDivisibleSize),
          "the minimum divisible size must be a positive count or a share below 1, got %s", minDivisibleSize);
      return new Fit(s.toBuilder().setBisecting(true).setMinDivisibleSize(minDivisibleSize).build());
    }

    /** Default {@link EmptyClusterPolicy#FARTHEST_POINT}. */
    public Fit withEmptyClusterPolicy(EmptyClusterPolicy policy) {
      check(policy != null, "empty-cluster policy must be given");
      return new Fit(s.toBuilder().setEmptyClusters(policy).build());
    }

    /**
     * The assignments also carry each feature's value as the input had it (DOUBLE, NULL where missing),
     * after {@code margin}, as {@code <prefix><feature>}, so that a profile of the segments needs no join
     * back to the input. The prefix keeps a feature named like an assignment's own field apart. Default off.
     */
    public Fit withFeaturesInAssignments(String prefix) {
      return withPoints(p -> p.withAssignedFeaturePrefix(prefix));
    }

    /** Points per block, 1 to 1,000,000. Default 8,192 (measured faster than 1,024). */
    public Fit withBlockSize(int blockSize) {
      return withPoints(p -> p.withBlockSize(blockSize));
    }

    /** Points in the seeded sample the in-memory solve runs on, 100 to 1,000,000. Default 16,384. */
    public Fit withSampleSize(int sampleSize) {
      return withPoints(p -> p.withSampleSize(sampleSize, 100));
    }

    @Override
    public KMeansResult expand(PCollection<Row> input) {
      check(s.kMin() >= 2, "k is required: call withK or withKSweep");
      check(!s.bisecting() || !s.isSweep(), "a bisecting fit needs one k, not a sweep from %d to %d", s.kMin(), s.kMax());
      check(!s.bisecting() || s.warmStartOrNull() == null, "a bisecting fit grows its tree anew: no warm start");
      check(!s.points().features().isEmpty(), "features are required: call withFeatures");
      GlobalWindowOnly.require(input, "KMeans.Fit", "it clusters a bounded input in the global window");
      Schema assignmentSchema = s.points().assignmentSchema("KMeans.Fit", input.getSchema(), true);
      // 1-3. Rows become blocks of transformed points (or rejects); one pass (two with clipping) summarises
      // every feature and draws the seeded sample; the preparation is fitted and the sample prepared.
      PreparedPoints points = input.apply("Points", PreparePoints.of("KMeans.Fit", s.points()));
      PCollection<PointBlock> blocks = points.blocks();
      PCollectionView<PreparedSample> sampleView = points.sample().apply("SampleView", View.asSingleton());

      // The DirectRunner evaluates a step that has its points before its side input (the centroids) again
      // each time another step completes work: the passes over the points waited that way from the read
      // on, about 200 evaluations each. There each pass reads the blocks the pass before it has read,
      // so it waits only while that pass's sums are merged. On Flink a pass fed by the one before would
      // wait on its own broadcast input, so there every pass reads the blocks as they were made.
      Passes passes = new Passes(blocks, DirectRunnerCheck.isDirect(input.getPipeline().getOptions()));
      PCollection<KMeansModel> model = s.bisecting() ? fitTree(passes, points.sample(), sampleView)
          : fitFlat(passes, points.sample(), sampleView);

      // 7. The last pass assigns every point to the model's clusters.
      PCollectionView<KMeansModel> fitted = model.apply("FittedModel", View.asSingleton());
      PCollection<Row> assignments = passes.next()
          .apply("Assign", ParDo.of(new AssignFn(fitted, assignmentSchema)).withSideInputs(fitted))
          .setRowSchema(assignmentSchema);
      return new KMeansResult(input.getPipeline(), model, assignments, points.rejects());
    }

    /** The blocks each pass over the points reads: as made, or, chained, as the pass before handed them on. */
    private static final class Passes {
      private final PCollection<PointBlock> made;
      private final boolean chained;
      private PCollection<PointBlock> next;

      Passes(PCollection<PointBlock> made, boolean chained) {
        this.made = made;
        this.chained = chained;
        this.next = made;
      }

      /** A pass's sums; its blocks are the next pass's when chained. */
      PCollection<PassSums> sums(String name, DoFn<PointBlock, PassSums> pass, PCollectionView<?>... state) {
        PCollectionTuple out = next.apply(name, ParDo.of(pass).withSideInputs(state)
            .withOutputTags(PassOutputs.SUMS, PassOutputs.ALSO_BLOCKS));
        next = chained ? out.get(PassOutputs.BLOCKS).setCoder(made.getCoder()) : made;
        return out.get(PassOutputs.SUMS).setCoder(UserTypeSerializableCoder.of(PassSums.class));
      }

      boolean chained() {
        return chained;
      }

      PCollection<PointBlock> next() {
        return next;
      }
    }

    /** Steps 4 to 6 of a flat fit: solve on the sample, refine with global Lloyd passes, score, select. */
    private PCollection<KMeansModel> fitFlat(Passes passes, PCollection<PreparedSample> sample,
        PCollectionView<PreparedSample> sampleView) {
      Coder<FitState> stateCoder = UserTypeSerializableCoder.of(FitState.class);
      Coder<PassSums> sumsCoder = UserTypeSerializableCoder.of(PassSums.class);
      // 4. In memory: k-means with restarts on the prepared sample.
      PCollection<FitState> state = sample.apply("SolveOnSample", ParDo.of(new PlanFitFn(s))).setCoder(stateCoder);

      // 5. Global Lloyd passes: centroids in as a side input, exact cluster sums out.
      for (int r = 1; r <= s.refinementPasses(); r++) {
        PCollectionView<FitState> current = state.apply("Refine" + r + "/State", View.asSingleton());
        state = passes.sums("Refine" + r + "/Sums", new LloydPassFn(current, passes.chained()), current)
            .apply("Refine" + r + "/Merge", Combine.globally(new PassSums.MergeFn()).withoutDefaults())
            .setCoder(sumsCoder)
            .apply("Refine" + r + "/Update", ParDo.of(new RefineFn(current, s.emptyClusters())).withSideInputs(current))
            .setCoder(stateCoder);
      }

      // 6. One pass scores every candidate with its final centroids; a sweep keeps the best k.
      PCollectionView<FitState> refined = state.apply("Evaluate/State", View.asSingleton());
      return passes.sums("Evaluate/Sums", new LloydPassFn(refined, passes.chained()), refined)
          .apply("Evaluate/Merge", Combine.globally(new PassSums.MergeFn()).withoutDefaults()).setCoder(sumsCoder)
          .apply("Evaluate/Select", ParDo.of(new SelectFn(refined, sampleView, s)).withSideInputs(refined, sampleView))
          .setCoder(stateCoder)
          .apply("BuildModel", ParDo.of(new BuildModelFn(s))).setCoder(KMeansModelCoder.of());
    }

    /** Steps 4 to 6 of a bisecting fit: grow the tree on the sample, refine every node per pass, measure. */
    private PCollection<KMeansModel> fitTree(Passes passes, PCollection<PreparedSample> sample,
        PCollectionView<PreparedSample> sampleView) {
      Coder<TreeState> stateCoder = UserTypeSerializableCoder.of(TreeState.class);
      Coder<PassSums> sumsCoder = UserTypeSerializableCoder.of(PassSums.class);
      PCollection<TreeState> state = sample.apply("GrowTreeOnSample", ParDo.of(new PlanTreeFn(s))).setCoder(stateCoder);
      for (int r = 1; r <= s.refinementPasses(); r++) {
        PCollectionView<TreeState> current = state.apply("Refine" + r + "/State", View.asSingleton());
        state = passes.sums("Refine" + r + "/Sums", new TreePassFn(current, passes.chained()), current)
            .apply("Refine" + r + "/Merge", Combine.globally(new PassSums.MergeFn()).withoutDefaults())
            .setCoder(sumsCoder)
            .apply("Refine" + r + "/Update", ParDo.of(new RefineTreeFn(current)).withSideInputs(current))
            .setCoder(stateCoder);
      }
      PCollectionView<TreeState> refined = state.apply("Evaluate/State", View.asSingleton());
      return passes.sums("Evaluate/Sums", new TreePassFn(refined, passes.chained()), refined)
          .apply("Evaluate/Merge", Combine.globally(new PassSums.MergeFn()).withoutDefaults()).setCoder(sumsCoder)
          .apply("BuildModel", ParDo.of(new BuildTreeModelFn(refined, sampleView, s))
              .withSideInputs(refined, sampleView))
          .setCoder(KMeansModelCoder.of());
    }
  }
}

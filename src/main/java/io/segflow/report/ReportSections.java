package io.segflow.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** The report's sections, each from the parts of a run's folder it explains. */
final class ReportSections {
  private final RunFolder run;
  private final JsonNode json;
  private final List<String> features;

  ReportSections(RunFolder run) {
    this.run = run;
    this.json = run.runJson();
    this.features = run.sample().map(RunFolder.Sample::features).orElseGet(() -> run.segments().isEmpty() ? List.of()
        : run.segments().get(0).keySet().stream().filter(c -> c.endsWith("_mean"))
            .map(c -> c.substring(0, c.length() - "_mean".length())).toList());
  }

  String method() {
    return json.path("method").asText("unknown method");
  }

  String title() {
    return json.path("definition").asText("run") + " — run " + json.path("run_id").asText("?");
  }

  String subtitle() {
    return String.format(Locale.ROOT, "%s, %s members in %d segments; %s on the %s runner, environment %s, %s",
        method(), count(json.path("members").asLong()), segmentIds().size(), json.path("run_time").asText(),
        json.path("runner").asText("?"), json.path("environment").asText("?"),
        json.hasNonNull("previous_run_id") ? "refreshing run " + json.get("previous_run_id").asText()
            : "the definition's first published run");
  }

  List<Section> all() {
    List<Section> out = new ArrayList<>();
    out.add(sizes());
    out.add(explained());
    out.add(profiles());
    out.add(distributions());
    sweep().ifPresent(out::add);
    projection().ifPresent(out::add);
    methodSpecific().ifPresent(out::add);
    out.add(transitions());
    out.add(drift());
    out.add(accounting());
    out.add(provenance());
    return out;
  }

  // ---- sizes -------------------------------------------------------------------------------------------------

  private Section sizes() {
    List<String> names = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, String> s : leaves()) {
      names.add(name(s));
      sizes.add(Long.parseLong(s.get("size")));
      rows.add(List.of(s.get("segment_id"), s.get("segment_label"), count(Long.parseLong(s.get("size"))),
          percent(Double.parseDouble(s.get("share")))));
    }
    return new Section("sizes", "Segments: sizes and shares",
        List.of("How many members each segment has, and its share of all members."),
        List.of(new Section.Chart("members per segment", Charts.bar(names, sizes, "members"), 60 + 34 * names.size())),
        List.of(new Section.Table(Optional.empty(), List.of("segment", "label", "members", "share"), rows)));
  }

  // ---- explained ---------------------------------------------------------------------------------------------

  private Section explained() {
    List<String> intro = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    // A description column only where the method gives descriptions (rules, RFM), not an empty one.
    boolean described = leaves().stream().anyMatch(s -> !s.getOrDefault("segment_description", "").isEmpty());
    if (run.sample().isEmpty()) {
      intro.add("This run's folder has no sample.csv (runs before segflow wrote one), so its segments cannot be "
          + "explained here.");
    } else {
      RunFolder.Sample sample = run.sample().get();
      intro.add(String.format(Locale.ROOT, "For each segment, the conditions (at most three) that best tell its "
          + "members from the others, found by a shallow decision tree on a seeded sample of %s members: how many "
          + "of the segment they describe, and how many of the others they describe too (lower is sharper).",
          count(sample.size())));
      SurrogateTree tree = SurrogateTree.forSample(sample.size());
      for (Map<String, String> s : leaves()) {
        Optional<SegmentRule> rule = tree.explain(sample, Integer.parseInt(s.get("segment_id")));
        List<String> row = new ArrayList<>(List.of(s.get("segment_id"), s.get("segment_label"),
            rule.map(SegmentRule::when).orElse("(not in the sample)"),
            rule.map(r -> SegmentRule.percent(r.segmentShare())).orElse(""),
            rule.map(r -> SegmentRule.percent(r.othersShare())).orElse(""),
            rule.map(r -> SegmentRule.percent(r.precision())).orElse("")));
        if (described) {
          row.add(s.getOrDefault("segment_description", ""));
        }
        rows.add(row);
      }
      Map<String, String> docs = descriptions();
      List<String> documented = features.stream().filter(docs::containsKey)
          .map(f -> f + ": " + docs.get(f).replaceAll("\\.$", "")).toList();
      if (!documented.isEmpty()) {
        intro.add("The features: " + String.join("; ", documented) + ".");
      }
    }
    List<String> header = new ArrayList<>(List.of("segment", "label", "when", "of this segment", "of the others",
        "of those matching, in it"));
    if (described) {
      header.add("description");
    }
    return new Section("explained", "Segments explained", intro, List.of(),
        List.of(new Section.Table(Optional.empty(), header, rows)));
  }


  // ---- profiles ----------------------------------------------------------------------------------------------

  private Section profiles() {
    List<Map<String, String>> segments = leaves();
    List<String> names = segments.stream().map(ReportSections::name).toList();
    List<double[]> cells = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    double[][] overall = overall();
    double extreme = 1;
    for (int y = 0; y < segments.size(); y++) {
      List<String> row = new ArrayList<>(List.of(segments.get(y).get("segment_id"), segments.get(y).get("segment_label")));
      for (int x = 0; x < features.size(); x++) {
        double mean = number(segments.get(y).get(features.get(x) + "_mean"));
        row.add(decimal(mean));
        if (overall != null && overall[x][1] > 0 && Double.isFinite(mean)) {
          double z = (mean - overall[x][0]) / overall[x][1];
          cells.add(new double[] {x, y, Math.round(z * 100) / 100.0});
          extreme = Math.max(extreme, Math.abs(z));
        }
      }
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("segment", "label"));
    features.forEach(f -> header.add(f + " (mean)"));
    List<Section.Chart> charts = overall == null ? List.of() : List.of(new Section.Chart(
        "each segment's mean, in standard deviations from all members' mean",
        Charts.heatmap(features, names, cells, -extreme, extreme, true), 110 + 34 * names.size()));
    return new Section("profiles", "Profiles", List.of("Each segment's mean of each feature, in the feature's own "
        + "units in the table; in the chart, in standard deviations from the mean of all members (from the sample), "
        + "so features of different units compare: red above, blue below."), charts,
        List.of(new Section.Table(Optional.empty(), header, rows)));
  }

  /** Per feature, the sample's mean and standard deviation; null without a sample. */
  private double[][] overall() {
    if (run.sample().isEmpty()) {
      return null;
    }
    RunFolder.Sample sample = run.sample().get();
    double[][] out = new double[features.size()][2];
    for (int f = 0; f < features.size(); f++) {
      final int feature = f;
      double[] values = Arrays.stream(sample.values()).mapToDouble(v -> v[feature]).filter(Double::isFinite).toArray();
      org.apache.commons.math3.stat.descriptive.moment.StandardDeviation sd =
          new org.apache.commons.math3.stat.descriptive.moment.StandardDeviation();
      out[f][0] = Arrays.stream(values).average().orElse(Double.NaN);
      out[f][1] = values.length > 1 ? sd.evaluate(values) : 0;
    }
    return out;
  }

  // ---- distributions -----------------------------------------------------------------------------------------

  private Section distributions() {
    if (run.sample().isEmpty()) {
      return new Section("distributions", "Distributions", List.of("No sample.csv in this run's folder."),
          List.of(), List.of());
    }
    RunFolder.Sample sample = run.sample().get();
    List<Map<String, String>> segments = leaves();
    List<Section.Chart> charts = new ArrayList<>();
    List<Section.Table> tables = new ArrayList<>();
    for (int f = 0; f < features.size(); f++) {
      List<double[]> boxes = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Map<String, String> s : segments) {
        int id = Integer.parseInt(s.get("segment_id"));
        final int feature = f;
        double[] values = java.util.stream.IntStream.range(0, sample.size()).filter(i -> sample.segments()[i] == id)
            .mapToDouble(i -> sample.values()[i][feature]).filter(Double::isFinite).sorted().toArray();
        if (values.length == 0) {
          continue;
        }
        double[] box = {quantile(values, 0.05), quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75),
            quantile(values, 0.95)};
        boxes.add(box);
        names.add(name(s));
        rows.add(List.of(s.get("segment_id"), count(values.length), decimal(box[0]), decimal(box[1]), decimal(box[2]),
            decimal(box[3]), decimal(box[4])));
      }
      charts.add(new Section.Chart(features.get(f) + " by segment (5th, 25th, 50th, 75th, 95th percentiles)",
          Charts.boxplot(names, boxes, features.get(f)), 70 + 34 * names.size()));
      tables.add(new Section.Table(Optional.of(features.get(f)), List.of("segment", "sampled", "p5", "p25", "median",
          "p75", "p95"), rows));
    }
    return new Section("distributions", "Distributions per segment", List.of(String.format(Locale.ROOT,
        "Each feature's spread within each segment, from the seeded sample of %s members; the whiskers end at the "
            + "5th and 95th percentiles, so one extreme member does not flatten the rest.", count(sample.size()))),
        charts, tables);
  }

  /** Linear interpolation between closest ranks (NumPy's default), on sorted values. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  // ---- k sweep -----------------------------------------------------------------------------------------------

  private Optional<Section> sweep() {
    JsonNode sweep = run.model().map(m -> m.path("sweep")).orElse(null);
    if (sweep == null || !sweep.isArray() || sweep.size() < 2) {
      return Optional.empty();
    }
    List<String> ks = new ArrayList<>();
    String[] criteria = {"inertia", "silhouette", "daviesBouldin", "calinskiHarabasz"};
    String[] names = {"inertia (elbow)", "silhouette (higher)", "Davies–Bouldin (lower)", "Calinski–Harabasz (higher)"};
    double[][] values = new double[criteria.length][sweep.size()];
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < sweep.size(); i++) {
      JsonNode c = sweep.get(i);
      ks.add(c.path("k").asText());
      List<String> row = new ArrayList<>(List.of(c.path("k").asText()));
      for (int j = 0; j < criteria.length; j++) {
        values[j][i] = c.path(criteria[j]).asDouble(Double.NaN);
        row.add(decimal(values[j][i]));
      }
      row.add(percent(c.path("smallestShare").asDouble(Double.NaN)));
      rows.add(row);
    }
    Map<String, String> best = new LinkedHashMap<>();
    best.put("the elbow of inertia", ks.get(elbow(values[0])));
    best.put("silhouette", ks.get(argBest(values[1], true)));
    best.put("Davies–Bouldin", ks.get(argBest(values[2], false)));
    best.put("Calinski–Harabasz", ks.get(argBest(values[3], true)));
    String chosen = run.model().get().path("k").asText();
    String selectedBy = run.model().get().path("selectedBy").asText("");
    List<String> text = new ArrayList<>();
    text.add("Every k tried, and each criterion's figure for it. The run chose k = " + chosen
        + (selectedBy.isEmpty() || selectedBy.equals("null") ? "" : " by " + selectedBy.toLowerCase(Locale.ROOT)) + ".");
    if (new TreeSet<>(best.values()).size() == 1) {
      text.add("All four criteria agree on k = " + best.values().iterator().next() + ".");
    } else {
      text.add("The criteria disagree: " + String.join(", ", best.entrySet().stream()
          .map(e -> e.getKey() + " prefers k = " + e.getValue()).toList())
          + ". No k is best by every measure; the one chosen follows the definition's rule.");
    }
    List<double[]> series = Arrays.asList(values);
    return Optional.of(new Section("sweep", "Choosing k", text,
        List.of(new Section.Chart("criteria per k", Charts.lines(ks, Arrays.asList(names), series), 300)),
        List.of(new Section.Table(Optional.empty(), List.of("k", "inertia", "silhouette", "Davies–Bouldin",
            "Calinski–Harabasz", "smallest segment"), rows))));
  }

  private static int argBest(double[] v, boolean highest) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (highest ? v[i] > v[best] : v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The point furthest below the line from the first to the last inertia (the "knee"). */
  static int elbow(double[] inertia) {
    int n = inertia.length;
    int best = 0;
    double furthest = -1;
    for (int i = 0; i < n; i++) {
      double line = inertia[0] + (inertia[n - 1] - inertia[0]) * i / (n - 1.0);
      double below = line - inertia[i];
      if (below > furthest) {
        furthest = below;
        best = i;
      }
    }
    return best;
  }

  // ---- projection --------------------------------------------------------------------------------------------

  private Optional<Section> projection() {
    Optional<Projection> pca = run.sample().flatMap(Projection::of);
    if (pca.isEmpty()) {
      return Optional.empty();
    }
    Projection p = pca.get();
    List<Map<String, String>> segments = leaves();
    List<String> groups = new ArrayList<>();
    List<List<double[]>> points = new ArrayList<>();
    for (Map<String, String> s : segments) {
      int id = Integer.parseInt(s.get("segment_id"));
      List<double[]> mine = new ArrayList<>();
      for (int i = 0; i < p.x().length; i++) {
        if (p.segments()[i] == id) {
          mine.add(new double[] {p.x()[i], p.y()[i]});
        }
      }
      groups.add(name(s));
      points.add(mine);
    }
    List<List<String>> rows = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      List<String> row = new ArrayList<>(List.of("PC" + (c + 1), percent(p.explained()[c])));
      for (double w : p.loadings()[c]) {
        row.add(String.format(Locale.ROOT, "%+.2f", w));
      }
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("component", "variance shown"));
    features.forEach(header::add);
    return Optional.of(new Section("projection", "The segments in two dimensions", List.of(String.format(Locale.ROOT,
        "The seeded sample (%s members) on its first two principal components of the standardized features, "
            + "coloured by segment: %s of the spread is in this plane. The table gives each feature's weight in "
            + "each component.", count(p.x().length), percent(p.explained()[0] + p.explained()[1]))),
        List.of(new Section.Chart("first two principal components", Charts.scatter(groups, points,
            "PC1", "PC2"), 480)),
        List.of(new Section.Table(Optional.empty(), header, rows))));
  }

  // ---- method ------------------------------------------------------------------------------------------------

  private Optional<Section> methodSpecific() {
    return switch (method()) {
      case "bisecting_kmeans" -> Optional.of(tree());
      case "dbscan" -> Optional.of(noise());
      case "rfm" -> Optional.of(scoreGrid());
      case "rules" -> Optional.of(ruleCoverage());
      case "kmeans" -> run.model().map(this::kmeansQuality);
      default -> Optional.empty();
    };
  }

  private Section kmeansQuality(JsonNode model) {
    List<List<String>> rows = List.of(
        List.of("inertia (within-segment sum of squares, scaled units)", decimal(model.path("inertia").asDouble())),
        List.of("silhouette (−1 to 1, higher is better separated)", decimal(model.path("silhouette").asDouble())),
        List.of("Davies–Bouldin (lower is better)", decimal(model.path("daviesBouldin").asDouble())),
        List.of("Calinski–Harabasz (higher is better)", decimal(model.path("calinskiHarabasz").asDouble())),
        List.of("restarts, seed", model.path("restarts").asText() + ", " + model.path("seed").asText()),
        List.of("converged in", model.path("iterations").asText() + " iterations"));
    return new Section("method", "k-means: quality", List.of("How well the segments are separated, by the "
        + "criteria scikit-learn and BigQuery ML report."), List.of(),
        List.of(new Section.Table(Optional.empty(), List.of("measure", "value"), rows)));
  }

  private Section tree() {
    Map<Integer, ObjectNode> nodes = new TreeMap<>();
    Map<Integer, Integer> parents = new TreeMap<>();
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, String> s : run.segments()) {
      int id = Integer.parseInt(s.get("segment_id"));
      ObjectNode node = Charts.JSON.createObjectNode().put("name", s.get("segment_id") + " " + s.get("segment_label")
          + "\n" + count(Long.parseLong(s.get("size"))));
      nodes.put(id, node);
      String parent = s.getOrDefault("parent_segment_id", "");
      if (!parent.isEmpty()) {
        parents.put(id, Integer.parseInt(parent));
      }
      rows.add(List.of(s.get("segment_id"), s.get("segment_label"), parent, s.getOrDefault("depth", ""),
          count(Long.parseLong(s.get("size")))));
    }
    ObjectNode root = Charts.JSON.createObjectNode().put("name", "all members\n" + count(json.path("members").asLong()));
    for (Map.Entry<Integer, ObjectNode> e : nodes.entrySet()) {
      Integer parent = parents.get(e.getKey());
      ObjectNode under = parent == null || !nodes.containsKey(parent) ? root : nodes.get(parent);
      (under.has("children") ? (com.fasterxml.jackson.databind.node.ArrayNode) under.get("children")
          : under.putArray("children")).add(e.getValue());
    }
    return new Section("method", "The tree of segments", List.of("Bisecting k-means splits the members in two, "
        + "then splits a part again, until the leaves are the segments; the broader groups above them are "
        + "published too, for campaigns at either level."),
        List.of(new Section.Chart("segments and the groups above them", Charts.tree(root), 420)),
        List.of(new Section.Table(Optional.empty(), List.of("segment", "label", "parent", "depth", "members"), rows)));
  }

  private Section noise() {
    long members = json.path("members").asLong();
    long noise = run.segments().stream().filter(s -> s.get("segment_id").equals("-1"))
        .mapToLong(s -> Long.parseLong(s.get("size"))).sum();
    return new Section("method", "DBSCAN: noise", List.of(String.format(Locale.ROOT, "%s of %s members (%s) lie in "
        + "no dense region: they are segment -1, noise, the customers unlike any group.", count(noise),
        count(members), percent(members == 0 ? 0 : (double) noise / members))), List.of(),
        List.of(new Section.Table(Optional.empty(), List.of("", "members", "share"), List.of(
            List.of("in a dense segment", count(members - noise), percent(members == 0 ? 0 : 1 - (double) noise / members)),
            List.of("noise (-1)", count(noise), percent(members == 0 ? 0 : (double) noise / members))))));
  }

  private Section scoreGrid() {
    Optional<RunFolder.Sample> sample = run.sample();
    if (sample.isEmpty() || !sample.get().features().containsAll(List.of("r_score", "f_score"))) {
      return new Section("method", "RFM: the score grid", List.of("This run's sample has no r_score and f_score."),
          List.of(), List.of());
    }
    RunFolder.Sample s = sample.get();
    int r = s.features().indexOf("r_score");
    int f = s.features().indexOf("f_score");
    TreeMap<Integer, TreeMap<Integer, Integer>> grid = new TreeMap<>();
    for (double[] v : s.values()) {
      if (Double.isFinite(v[r]) && Double.isFinite(v[f])) {
        grid.computeIfAbsent((int) v[r], k -> new TreeMap<>()).merge((int) v[f], 1, Integer::sum);
      }
    }
    TreeSet<Integer> fs = new TreeSet<>();
    grid.values().forEach(m -> fs.addAll(m.keySet()));
    List<String> xs = fs.stream().map(v -> "F " + v).toList();
    List<String> ys = grid.descendingKeySet().stream().map(v -> "R " + v).toList();
    List<double[]> cells = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    List<Integer> fList = new ArrayList<>(fs);
    double max = 1;
    int y = 0;
    for (Integer rv : grid.descendingKeySet()) {
      List<String> row = new ArrayList<>(List.of("R " + rv));
      for (int x = 0; x < fList.size(); x++) {
        int n = grid.get(rv).getOrDefault(fList.get(x), 0);
        cells.add(new double[] {x, y, n});
        max = Math.max(max, n);
        row.add(count(n));
      }
      rows.add(row);
      y++;
    }
    List<String> header = new ArrayList<>(List.of("recency score"));
    header.addAll(xs);
    return new Section("method", "RFM: the score grid", List.of(String.format(Locale.ROOT, "Sampled members (%s) by "
        + "recency score (5: most recent) and frequency score (5: most frequent); the classic segment map names "
        + "regions of this grid.", count(s.size()))),
        List.of(new Section.Chart("members per recency and frequency score", Charts.heatmap(xs, ys, cells, 0, max,
            false), 300)),
        List.of(new Section.Table(Optional.empty(), header, rows)));
  }

  private Section ruleCoverage() {
    long members = json.path("members").asLong();
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, String> s : leaves()) {
      rows.add(List.of(s.get("segment_id"), s.get("segment_label"), count(Long.parseLong(s.get("size"))),
          percent(Double.parseDouble(s.get("share"))), s.getOrDefault("segment_description", "")));
    }
    return new Section("method", "Rules: coverage", List.of(String.format(Locale.ROOT, "Each rule's members, first "
        + "matching rule wins; %s members in all. A rule that matches nobody makes no segment and is not listed.",
        count(members))), List.of(), List.of(new Section.Table(Optional.empty(),
            List.of("segment", "rule", "members", "share", "description"), rows)));
  }

  // ---- transitions and drift ---------------------------------------------------------------------------------

  private Section transitions() {
    if (!json.hasNonNull("previous_run_id") || run.transitions().isEmpty()) {
      return new Section("transitions", "Transitions", List.of("This is the definition's first published run: "
          + "no previous run to move from."), List.of(), List.of());
    }
    TreeSet<Integer> tos = new TreeSet<>();
    TreeSet<String> froms = new TreeSet<>();
    run.transitions().keySet().forEach(t -> {
      tos.add(t.to());
      froms.add(t.from() == null ? "new" : String.valueOf(t.from()));
    });
    List<String> fromList = new ArrayList<>(froms);
    List<Integer> toList = new ArrayList<>(tos);
    List<double[]> cells = new ArrayList<>();
    double max = 1;
    Map<String, Map<Integer, Long>> matrix = new TreeMap<>();
    for (Map.Entry<RunFolder.Transition, Long> e : run.transitions().entrySet()) {
      String from = e.getKey().from() == null ? "new" : String.valueOf(e.getKey().from());
      matrix.computeIfAbsent(from, k -> new TreeMap<>()).put(e.getKey().to(), e.getValue());
      cells.add(new double[] {toList.indexOf(e.getKey().to()), fromList.indexOf(from), e.getValue()});
      max = Math.max(max, e.getValue());
    }
    List<List<String>> rows = new ArrayList<>();
    for (String from : fromList) {
      List<String> row = new ArrayList<>(List.of(from));
      toList.forEach(to -> row.add(count(matrix.getOrDefault(from, Map.of()).getOrDefault(to, 0L))));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("from \\ to"));
    toList.forEach(t -> header.add("to " + t));
    return new Section("transitions", "Transitions since run " + json.get("previous_run_id").asText(),
        List.of("Members by their segment in the previous run (rows; new: not in it) and in this one (columns)."),
        List.of(new Section.Chart("members from each previous segment to each segment", Charts.heatmap(
            toList.stream().map(t -> "to " + t).toList(), fromList.stream().map(f -> "from " + f).toList(), cells, 0,
            max, false), 110 + 34 * fromList.size())),
        List.of(new Section.Table(Optional.empty(), header, rows)));
  }

  private Section drift() {
    JsonNode refresh = json.path("refresh");
    if (!json.hasNonNull("previous_run_id")) {
      return new Section("drift", "Drift", List.of("No previous run to compare with."), List.of(), List.of());
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode s : refresh.path("segments")) {
      rows.add(List.of(s.path("segment_id").asText(), s.path("segment_label").asText(),
          s.path("previous_size").isNull() ? "new" : count(s.path("previous_size").asLong()), count(s.path("size").asLong()),
          s.path("share_change_points").isNull() ? "" : String.format(Locale.ROOT, "%+.1f", s.path("share_change_points").asDouble()),
          s.path("stayed_share").isNull() ? "" : percent(s.path("stayed_share").asDouble()),
          s.path("centroid_shift").isNull() ? "" : decimal(s.path("centroid_shift").asDouble())));
    }
    List<String> psiNames = new ArrayList<>();
    List<Double> psi = new ArrayList<>();
    List<List<String>> psiRows = new ArrayList<>();
    refresh.path("feature_stability_index").fields().forEachRemaining(e -> {
      psiNames.add(e.getKey());
      psi.add(e.getValue().asDouble());
      psiRows.add(List.of(e.getKey(), String.format(Locale.ROOT, "%.3f", e.getValue().asDouble()),
          e.getValue().asDouble() >= 0.25 ? "major change" : e.getValue().asDouble() >= 0.1 ? "worth a look" : "stable"));
    });
    List<Section.Chart> charts = psiNames.isEmpty() ? List.of() : List.of(new Section.Chart(
        "population stability index per feature (0.1 worth a look, 0.25 a major change)",
        Charts.bar(psiNames, psi, "PSI"), 60 + 34 * psiNames.size()));
    return new Section("drift", "Drift since run " + json.get("previous_run_id").asText(), List.of("How each segment "
        + "moved since the previous run (its size, share, the share of its members who stayed, how far its centre "
        + "moved in scaled units), and how each feature's distribution changed."), charts,
        List.of(new Section.Table(Optional.empty(), List.of("segment", "label", "before", "now", "share change (pts)",
            "stayed", "centroid shift"), rows),
            new Section.Table(Optional.of("feature stability"), List.of("feature", "PSI", "reading"), psiRows)));
  }

  // ---- accounting --------------------------------------------------------------------------------------------

  private Section accounting() {
    List<List<String>> sources = new ArrayList<>();
    json.path("sources").fields().forEachRemaining(e -> sources.add(List.of(e.getKey(),
        count(e.getValue().path("read").asLong()), count(e.getValue().path("rows").asLong()),
        count(e.getValue().path("rejected").asLong()), count(e.getValue().path("blank").asLong()))));
    List<List<String>> entities = List.of(
        List.of("with features", count(json.path("entities_featured").asLong())),
        List.of("members", count(json.path("members").asLong())),
        List.of("rejected", count(json.path("entities_rejected").asLong())),
        List.of("without consent (left out)", count(json.path("entities_without_consent").asLong())),
        List.of("in the holdout (control group; members, not to be contacted)", count(json.path("holdout_members").asLong())));
    List<String> reasons = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<List<String>> reasonRows = new ArrayList<>();
    json.path("rejects_by_reason").fields().forEachRemaining(e -> {
      reasons.add(e.getKey());
      counts.add(e.getValue().asLong());
      reasonRows.add(List.of(e.getKey(), count(e.getValue().asLong())));
    });
    List<Section.Chart> charts = reasons.isEmpty() ? List.of() : List.of(new Section.Chart("rejects by reason",
        Charts.bar(reasons, counts, "rows or entities"), 60 + 34 * reasons.size()));
    List<Section.Table> tables = new ArrayList<>(List.of(
        new Section.Table(Optional.of("sources"), List.of("source", "read", "used", "rejected", "blank lines"), sources),
        new Section.Table(Optional.of("entities"), List.of("entities", "count"), entities)));
    if (!reasonRows.isEmpty()) {
      tables.add(new Section.Table(Optional.of("rejects by stage and reason"), List.of("reason", "count"), reasonRows));
    }
    return new Section("accounting", "Accounting, consent and holdout", List.of("Where every row read went, and every "
        + "customer with features: " + (json.path("balanced").asBoolean() ? "the counts balance."
        : "the counts do NOT balance.") + (reasons.isEmpty() ? " Nothing was rejected."
        : " The rejects file says which rows and why.")), charts, tables);
  }

  // ---- provenance --------------------------------------------------------------------------------------------

  private Section provenance() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("definition file", json.path("definition_file").asText("")));
    rows.add(List.of("run id", json.path("run_id").asText()));
    rows.add(List.of("run time", json.path("run_time").asText()));
    rows.add(List.of("environment, runner", json.path("environment").asText() + ", " + json.path("runner").asText()));
    rows.add(List.of("run took", json.path("seconds").asText() + " s"));
    json.path("parameters").fields().forEachRemaining(e -> rows.add(List.of("parameter " + e.getKey(), e.getValue().asText())));
    json.path("versions").fields().forEachRemaining(e -> rows.add(List.of(e.getKey() + " version", e.getValue().asText())));
    List<String> code = new ArrayList<>();
    if (!json.path("definition_text").asText("").isEmpty()) {
      code.add(json.get("definition_text").asText());
    }
    if (!json.path("features_sql").asText("").isEmpty()) {
      code.add(json.get("features_sql").asText());
    }
    return new Section("provenance", "What produced this run", List.of("The definition and features SQL as they were "
        + "when the run started, its parameters and the versions that ran it."), List.of(),
        List.of(new Section.Table(Optional.empty(), List.of("", ""), rows)), code);
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /** The segments members are in: the leaves of a tree (depth absent or deepest per branch), all others. */
  private List<Map<String, String>> leaves() {
    java.util.Set<String> parents = new java.util.HashSet<>();
    run.segments().forEach(s -> {
      String p = s.getOrDefault("parent_segment_id", "");
      if (!p.isEmpty()) {
        parents.add(p);
      }
    });
    return run.segments().stream().filter(s -> !parents.contains(s.get("segment_id"))).toList();
  }

  private List<Integer> segmentIds() {
    return leaves().stream().map(s -> Integer.parseInt(s.get("segment_id"))).toList();
  }

  private Map<String, String> descriptions() {
    Map<String, String> out = new TreeMap<>();
    json.path("feature_descriptions").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String name(Map<String, String> segment) {
    return segment.get("segment_id") + " " + segment.get("segment_label");
  }

  private static double number(String text) {
    return text == null || text.isEmpty() ? Double.NaN : Double.parseDouble(text);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "";
  }

  static String decimal(double v) {
    if (!Double.isFinite(v)) {
      return "";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  }
}

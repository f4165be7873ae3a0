package io.segflow.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** ECharts options for the few kinds of chart the report draws, built as JSON. */
final class Charts {
  static final ObjectMapper JSON = new ObjectMapper();

  private Charts() {}

  /** Bars, one per category. */
  static ObjectNode bar(List<String> categories, List<? extends Number> values, String valueName) {
    ObjectNode o = base();
    o.putObject("grid").put("containLabel", true).put("left", 10).put("right", 30);
    ObjectNode x = o.putObject("xAxis").put("type", "value").put("name", valueName);
    x.put("nameLocation", "middle").put("nameGap", 28);
    ObjectNode y = o.putObject("yAxis").put("type", "category").put("inverse", true);
    y.set("data", strings(categories));
    ObjectNode series = o.putArray("series").addObject().put("type", "bar");
    series.set("data", numbers(values));
    series.putObject("label").put("show", true).put("position", "right");
    return o;
  }

  /** A matrix of cells coloured by value; {@code cells} holds [x index, y index, value]. */
  static ObjectNode heatmap(List<String> xs, List<String> ys, List<double[]> cells, double min, double max,
      boolean diverging) {
    ObjectNode o = base();
    o.putObject("grid").put("containLabel", true).put("left", 10).put("bottom", 60);
    o.putObject("xAxis").put("type", "category").set("data", strings(xs));
    o.putObject("yAxis").put("type", "category").put("inverse", true).set("data", strings(ys));
    ObjectNode visual = o.putObject("visualMap").put("min", min).put("max", max).put("calculable", true)
        .put("orient", "horizontal").put("left", "center").put("bottom", 0);
    visual.putObject("inRange").set("color", strings(diverging ? List.of("#2166ac", "#f7f7f7", "#b2182b")
        : List.of("#f7fbff", "#6baed6", "#08306b")));
    ObjectNode series = o.putArray("series").addObject().put("type", "heatmap");
    ArrayNode data = series.putArray("data");
    for (double[] c : cells) {
      data.addArray().add((int) c[0]).add((int) c[1]).add(round(c[2]));
    }
    series.putObject("label").put("show", true);
    return o;
  }

  /** Box plots: per category [low whisker, q1, median, q3, high whisker]. */
  static ObjectNode boxplot(List<String> categories, List<double[]> boxes, String valueName) {
    ObjectNode o = base();
    o.putObject("grid").put("containLabel", true).put("left", 10).put("right", 30);
    o.putObject("xAxis").put("type", "value").put("name", valueName).put("scale", true)
        .put("nameLocation", "middle").put("nameGap", 28);
    o.putObject("yAxis").put("type", "category").put("inverse", true).set("data", strings(categories));
    ArrayNode data = o.putArray("series").addObject().put("type", "boxplot").putArray("data");
    for (double[] b : boxes) {
      ArrayNode box = data.addArray();
      for (double v : b) {
        box.add(round(v));
      }
    }
    return o;
  }

  /** Lines over a shared category axis, each on its own axis (criteria have different scales). */
  static ObjectNode lines(List<String> xs, List<String> names, List<double[]> values) {
    ObjectNode o = base();
    o.putObject("legend").put("top", 0);
    o.putObject("tooltip").put("trigger", "axis");
    ArrayNode grids = o.putArray("grid");
    ArrayNode xAxes = o.putArray("xAxis");
    ArrayNode yAxes = o.putArray("yAxis");
    ArrayNode series = o.putArray("series");
    int n = names.size();
    for (int i = 0; i < n; i++) {
      double width = 100.0 / n;
      grids.addObject().put("left", String.format(java.util.Locale.ROOT, "%.1f%%", i * width + 4))
          .put("width", String.format(java.util.Locale.ROOT, "%.1f%%", width - 7)).put("top", 50).put("bottom", 40);
      xAxes.addObject().put("type", "category").put("gridIndex", i).put("name", "k").set("data", strings(xs));
      yAxes.addObject().put("type", "value").put("gridIndex", i).put("scale", true).put("name", names.get(i));
      ObjectNode s = series.addObject().put("type", "line").put("name", names.get(i)).put("xAxisIndex", i)
          .put("yAxisIndex", i);
      ArrayNode data = s.putArray("data");
      for (double v : values.get(i)) {
        data.add(round(v));
      }
    }
    return o;
  }

  /** Points in a plane, one series (and colour) per group. */
  static ObjectNode scatter(List<String> groups, List<List<double[]>> points, String xName, String yName) {
    ObjectNode o = base();
    o.putObject("legend").put("top", 0);
    o.putObject("grid").put("containLabel", true).put("top", 40);
    o.putObject("xAxis").put("type", "value").put("name", xName).put("scale", true);
    o.putObject("yAxis").put("type", "value").put("name", yName).put("scale", true);
    ArrayNode series = o.putArray("series");
    for (int g = 0; g < groups.size(); g++) {
      ObjectNode s = series.addObject().put("type", "scatter").put("name", groups.get(g)).put("symbolSize", 4)
          .put("large", true);
      ArrayNode data = s.putArray("data");
      for (double[] p : points.get(g)) {
        data.addArray().add(round(p[0])).add(round(p[1]));
      }
    }
    return o;
  }

  /** A tree drawn top-down from one root node ({name, children}). */
  static ObjectNode tree(ObjectNode root) {
    ObjectNode o = base();
    ObjectNode s = o.putArray("series").addObject().put("type", "tree").put("orient", "TB")
        .put("expandAndCollapse", false).put("initialTreeDepth", -1).put("top", 30).put("bottom", 80);
    s.putArray("data").add(root);
    s.putObject("label").put("position", "top").put("fontSize", 11);
    return o;
  }

  private static ObjectNode base() {
    ObjectNode o = JSON.createObjectNode();
    o.put("animation", false);
    o.putObject("tooltip");
    return o;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  private static ArrayNode numbers(List<? extends Number> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(v -> a.add(round(v.doubleValue())));
    return a;
  }

  /** Four significant digits: what a chart shows, and a quarter of the bytes of a full double. */
  static double round(double v) {
    if (!Double.isFinite(v) || v == 0) {
      return Double.isFinite(v) ? v : 0;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
  }
}

package io.segflow.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The report as one HTML file: the sections in order, each chart's option as JSON beside the box it is drawn
 * into, and ECharts inlined from its WebJar, so the file opens offline and refers to nothing outside itself.
 * Each drawn chart marks its box {@code data-drawn}, and errors are collected on {@code body}
 * ({@code data-errors}): what the browser test reads.
 */
final class ReportPage {
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private ReportPage() {}

  static String render(String title, String subtitle, List<Section> sections) {
    StringBuilder html = new StringBuilder(1 << 20);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n")
        // Before anything else runs, so that no error of the page goes unrecorded.
        .append("<script>").append(ERRORS).append("</script>\n</head>\n<body>\n<header><h1>")
        .append(escape(title)).append("</h1><p>").append(escape(subtitle)).append("</p><nav>");
    for (Section s : sections) {
      html.append("<a href=\"#").append(s.id()).append("\">").append(escape(s.title())).append("</a> ");
    }
    html.append("</nav></header>\n<main>\n");
    int chart = 0;
    for (Section s : sections) {
      html.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(escape(s.title())).append("</h2>\n");
      for (String p : s.paragraphs()) {
        html.append("<p>").append(escape(p)).append("</p>\n");
      }
      // A chart per table (one per feature, say): each chart with its own numbers under it.
      boolean paired = s.charts().size() == s.tables().size();
      for (int i = 0; i < s.charts().size(); i++) {
        figure(html, "chart-" + chart++, s.charts().get(i));
        if (paired) {
          table(html, s.tables().get(i));
        }
      }
      if (!paired) {
        s.tables().forEach(t -> table(html, t));
      }
      for (String code : s.code()) {
        html.append("<pre>").append(escape(code)).append("</pre>\n");
      }
      html.append("</section>\n");
    }
    html.append("</main>\n<script>").append(scriptSafe(echarts())).append("</script>\n<script>").append(DRAW)
        .append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void figure(StringBuilder html, String id, Section.Chart c) {
    html.append("<figure><figcaption>").append(escape(c.title())).append("</figcaption><div class=\"chart\" id=\"")
        .append(id).append("\" style=\"height:").append(c.height()).append("px\"></div>")
        .append("<script type=\"application/json\" id=\"").append(id).append("-option\">")
        .append(scriptSafe(c.option().toString())).append("</script></figure>\n");
  }

  private static void table(StringBuilder html, Section.Table t) {
    html.append("<table>");
    t.caption().ifPresent(c -> html.append("<caption>").append(escape(c)).append("</caption>"));
    html.append("<thead><tr>");
    t.header().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
    html.append("</tr></thead><tbody>");
    for (List<String> row : t.rows()) {
      html.append("<tr>");
      // Figures right-aligned so their digits line up; words left-aligned so they read.
      row.forEach(cell -> html.append(NUMBER.matcher(cell).matches() ? "<td class=\"n\">" : "<td>").append(escape(cell))
          .append("</td>"));
      html.append("</tr>");
    }
    html.append("</tbody></table>\n");
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[-+<>]?[\\d,]+(\\.\\d+)?(%| s)?|");

  private static String escape(String text) {
    return StringEscapeUtils.escapeHtml4(text);
  }

  /** Text inside a script element ends at the first "</": break every one (valid in JSON strings and in JS). */
  static String scriptSafe(String text) {
    return text.replace("</", "<\\/");
  }

  private static String echarts() {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException("ECharts is not on the classpath (" + ECHARTS + "): the build is incomplete");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String STYLE = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1f2933;background:#fff}",
      "header{background:#102a43;color:#fff;padding:16px 32px}header h1{margin:0 0 4px;font-size:22px}",
      "header p{margin:0 0 8px;color:#bcccdc}nav a{color:#9fb3c8;margin-right:12px;font-size:13px}",
      "main{max-width:1180px;margin:0 auto;padding:8px 32px 48px}section{border-bottom:1px solid #e4e7eb;padding:8px 0 16px}",
      "h2{font-size:18px;margin:18px 0 6px}figure{margin:8px 0}figcaption{font-size:13px;color:#52606d}",
      ".chart{width:100%}table{border-collapse:collapse;margin:8px 0 12px;font-size:13px}",
      "caption{text-align:left;font-weight:600;padding:4px 0}th,td{border:1px solid #d9e2ec;padding:3px 8px;text-align:left;vertical-align:top}",
      "th{background:#f0f4f8}td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f5f7fa;padding:8px;overflow:auto;font-size:12px}");

  private static final String ERRORS = String.join("\n",
      "window.segflowErrors=[];",
      "function segflowError(m){window.segflowErrors.push(String(m));",
      " if(document.body){document.body.setAttribute('data-errors',window.segflowErrors.join('\\n'));}}",
      "window.addEventListener('error',function(e){segflowError(e.message||e);});",
      "(function(){var e=console.error;console.error=function(){segflowError(Array.prototype.join.call(arguments,' '));",
      " e.apply(console,arguments);};})();");

  /** Draws every chart as SVG and marks it drawn when its SVG holds marks; counts them on body. */
  private static final String DRAW = String.join("\n",
      "(function(){var start=performance.now();var boxes=document.querySelectorAll('div.chart');var drawn=0;",
      "boxes.forEach(function(box){try{",
      " var option=JSON.parse(document.getElementById(box.id+'-option').textContent);",
      " var chart=echarts.init(box,null,{renderer:'svg'});chart.setOption(option);",
      " var marks=box.querySelectorAll('svg path, svg rect, svg circle, svg text').length;",
      " box.setAttribute('data-drawn',marks>0?'true':'false');if(marks>0){drawn++;}",
      " window.addEventListener('resize',function(){chart.resize();});",
      "}catch(e){segflowError(box.id+': '+e);}});",
      "document.body.setAttribute('data-charts',boxes.length);document.body.setAttribute('data-drawn',drawn);",
      // How long drawing took in the browser, for the claim that a report opens at once.
      "document.body.setAttribute('data-draw-ms',Math.round(performance.now()-start));",
      "if(window.segflowErrors.length){document.body.setAttribute('data-errors',window.segflowErrors.join('\\n'));}",
      "})();");
}

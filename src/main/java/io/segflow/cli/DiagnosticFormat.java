package io.segflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segflow.dsl.diag.Diagnostic;

/** How diagnostics are printed: for people, for GitHub Actions annotations, or as JSON lines for tools. */
public enum DiagnosticFormat {
  TEXT {
    @Override
    String render(Diagnostic d) {
      return d.render();
    }
  },
  GITHUB {
    @Override
    String render(Diagnostic d) {
      String title = d.code().code() + (d.field().isEmpty() ? "" : " " + d.field());
      return "::" + d.severity().label() + " file=" + property(d.file()) + ",line=" + d.position().line()
          + ",col=" + d.position().column() + ",title=" + property(title) + "::" + data(d.message());
    }
  },
  JSON {
    @Override
    String render(Diagnostic d) {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("file", d.file());
      o.put("line", d.position().line());
      o.put("column", d.position().column());
      o.put("severity", d.severity().label());
      o.put("code", d.code().code());
      o.put("field", d.field());
      o.put("message", d.message());
      return o.toString();
    }
  };

  private static final ObjectMapper MAPPER = new ObjectMapper();

  abstract String render(Diagnostic d);

  /** GitHub's workflow-command escaping for message data. */
  private static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** GitHub's escaping for property values, which also reserve ':' and ','. */
  private static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}

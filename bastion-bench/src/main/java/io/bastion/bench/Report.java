package io.bastion.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The result of one scenario run: ordered key/value pairs, printed for people and as JSON. */
final class Report {

  private final Map<String, Object> values = new LinkedHashMap<>();

  Report(String scenario, CommonOptions options) {
    put("scenario", scenario);
    put("label", options.label);
    put("targets", String.join(",", options.target));
  }

  Report put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  Object get(String key) {
    return values.get(key);
  }

  void print(PrintWriter out) {
    out.printf("%s against %s%n", values.get("scenario"), values.get("label"));
    values.forEach(
        (k, v) -> {
          if (!k.equals("scenario") && !k.equals("label")) {
            out.printf(Locale.ROOT, "  %-28s %s%n", k, format(v));
          }
        });
    out.flush();
  }

  void writeJson(Path file) throws IOException {
    if (file != null) {
      Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
    }
  }

  String toJson() {
    StringBuilder sb = new StringBuilder("{");
    values.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append(quote(k)).append(": ");
          if (v instanceof Number n) {
            sb.append(format(n));
          } else if (v instanceof Boolean b) {
            sb.append(b);
          } else {
            sb.append(v == null ? "null" : quote(v.toString()));
          }
        });
    return sb.append('}').toString();
  }

  private static String format(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
    }
    return String.valueOf(v);
  }

  private static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        default -> {
          if (c < 0x20) {
            q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}

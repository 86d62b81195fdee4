package io.bastion.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The dashboard: a few files from the jar, loaded once. They hold no data, so need no token. */
final class StaticFiles {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  private static final List<String> FILES = List.of("index.html", "app.js", "style.css");

  private final Map<String, Response> files = new HashMap<>();

  StaticFiles() {
    for (String name : FILES) {
      try (InputStream in = StaticFiles.class.getResourceAsStream("/dashboard/" + name)) {
        if (in == null) {
          throw new IllegalStateException("dashboard file missing from the jar: " + name);
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        files.put(name, new Response(HttpResponseStatus.OK, TYPES.get(ext), in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  boolean serves(List<String> path) {
    return path.isEmpty() || (path.size() == 1 && files.containsKey(path.get(0)));
  }

  Response get(List<String> path) {
    return files.get(path.isEmpty() ? "index.html" : path.get(0));
  }
}

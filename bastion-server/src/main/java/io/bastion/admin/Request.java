package io.bastion.admin;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/** An admin request, already split into path segments and query parameters. */
record Request(HttpMethod method, List<String> path, Map<String, List<String>> query, String body) {

  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  boolean is(HttpMethod m, String... segments) {
    if (!method.equals(m) || path.size() != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      if (!segments[i].equals("*") && !segments[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Does the path match, whatever the method? Used to answer 405 rather than 404. */
  boolean pathIs(String... segments) {
    return is(method, segments);
  }
}

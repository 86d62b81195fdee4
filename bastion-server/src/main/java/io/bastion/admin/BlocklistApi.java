package io.bastion.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.ConfigLoader;
import io.bastion.security.Blocklist;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/blocklist} and {@code /api/allowlist}: list (GET), add (POST {"ip"|"client-id"|
 * "username"|"certificate": value, "reason", "ttl" or "expires"}) and remove (DELETE
 * ?kind=&value=).
 */
final class BlocklistApi {

  private final NodeControl node;
  private final AdminApi api;

  BlocklistApi(NodeControl node, AdminApi api) {
    this.node = node;
    this.api = api;
  }

  /** The answer for a blocklist route, or null when the request is for another route. */
  Response handle(Request r, JsonBody body) {
    if (r.path().size() != 2 || !r.path().get(0).equals("api")) {
      return null;
    }
    Blocklist list = switch (r.path().get(1)) {
      case "blocklist" -> node.blocklist();
      case "allowlist" -> node.allowlist();
      default -> null;
    };
    if (list == null) {
      return null;
    }
    if (r.method().equals(HttpMethod.GET)) {
      List<Map<String, Object>> entries = list.list().stream().map(BlocklistApi::describe).toList();
      return api.ok(Map.of("total", entries.size(), "entries", entries));
    }
    if (r.method().equals(HttpMethod.POST)) {
      return add(list, body.read(r));
    }
    if (r.method().equals(HttpMethod.DELETE)) {
      Kind kind = kind(r.param("kind"));
      String value = r.param("value");
      if (value == null || value.isBlank()) {
        throw HttpError.badRequest("missing ?value=");
      }
      Blocklist.Entry removed;
      try {
        removed = list.remove(kind, value);
      } catch (IllegalArgumentException e) {
        throw new HttpError(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
      }
      if (removed == null) {
        throw HttpError.notFound("no " + list.name() + " entry for " + kind.key() + " " + value);
      }
      return api.ok(Map.of("removed", describe(removed)));
    }
    throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET, POST or DELETE on /api/" + list.name());
  }

  /** Reads a request body as a JSON object (AdminApi's reader). */
  interface JsonBody {
    JsonNode read(Request r);
  }

  private Response add(Blocklist list, JsonNode body) {
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (body.has(k.key())) {
        if (kind != null) {
          throw HttpError.badRequest("name exactly one of ip, client-id, username, certificate");
        }
        kind = k;
      }
    }
    if (kind == null) {
      throw HttpError.badRequest("missing one of \"ip\", \"client-id\", \"username\", \"certificate\"");
    }
    JsonNode v = body.get(kind.key());
    if (!v.isTextual() || v.asText().isBlank()) {
      throw HttpError.badRequest("\"" + kind.key() + "\" must be a non-empty string");
    }
    String reason = body.hasNonNull("reason") ? body.get("reason").asText() : "added through the admin API";
    Instant expires = expires(body);
    try {
      Blocklist.Entry e = list.add(kind, v.asText(), reason, expires, "api");
      return api.json(HttpResponseStatus.CREATED, Map.of("added", describe(e)));
    } catch (IllegalArgumentException e) {
      throw new HttpError(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }
  }

  private static Instant expires(JsonNode body) {
    if (body.hasNonNull("ttl") && body.hasNonNull("expires")) {
      throw HttpError.badRequest("give \"ttl\" or \"expires\", not both");
    }
    if (body.hasNonNull("ttl")) {
      try {
        Duration ttl = ConfigLoader.parseDuration(body.get("ttl").asText());
        if (ttl.isZero()) {
          throw HttpError.badRequest("\"ttl\" must be greater than 0");
        }
        return Instant.now().plus(ttl);
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("\"ttl\": " + e.getMessage());
      }
    }
    if (body.hasNonNull("expires")) {
      try {
        return Instant.parse(body.get("expires").asText());
      } catch (DateTimeParseException e) {
        throw HttpError.badRequest("\"expires\" must be a time such as 2030-01-01T00:00:00Z");
      }
    }
    return null;
  }

  private static Kind kind(String key) {
    Kind k = key == null ? null : Kind.ofKey(key);
    if (k == null) {
      throw HttpError.badRequest("?kind= must be ip, client-id, username or certificate");
    }
    return k;
  }

  private static Map<String, Object> describe(Blocklist.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", e.kind().key());
    m.put("value", e.value());
    m.put("reason", e.reason());
    m.put("expires", e.expires() == null ? null : e.expires().toString());
    m.put("source", e.source());
    m.put("added", e.added().toString());
    return m;
  }
}

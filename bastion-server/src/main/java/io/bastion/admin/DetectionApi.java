package io.bastion.admin;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.detect.Detection;
import io.bastion.detect.DetectionEngine;
import io.bastion.detect.DetectionRecord;
import io.bastion.security.UsernameGuards;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /api/detections}: recent detections, newest first (GET, filter by {@code client-id},
 * {@code ip}, {@code username}, {@code detector}, {@code limit}), and clearing what detection did to
 * one client id, address or username (DELETE with one of those: its detector block, throttle or
 * denial, offence history, flag and username guard).
 *
 * <p>{@code /api/detections/guards}: usernames guarded against password guessing (GET), and lifting
 * one guard (DELETE ?username=).
 */
final class DetectionApi {

  private static final int MAX_LIMIT = 1000;

  private final NodeControl node;
  private final AdminApi api;

  DetectionApi(NodeControl node, AdminApi api) {
    this.node = node;
    this.api = api;
  }

  /** The answer for {@code /api/detections}, or null for another route. */
  Response handle(Request r) {
    if (r.path().size() == 3 && r.path().get(0).equals("api") && r.path().get(1).equals("detections")
        && r.path().get(2).equals("guards")) {
      return guards(node.detection().responder().guards(), r);
    }
    if (r.path().size() != 2 || !r.path().get(0).equals("api") || !r.path().get(1).equals("detections")) {
      return null;
    }
    DetectionEngine engine = node.detection();
    if (r.method().equals(HttpMethod.GET)) {
      return api.ok(list(engine, r));
    }
    if (r.method().equals(HttpMethod.DELETE)) {
      return clear(engine, r);
    }
    throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or DELETE on /api/detections");
  }

  private Response guards(UsernameGuards guards, Request r) {
    if (r.method().equals(HttpMethod.GET)) {
      List<Map<String, Object>> out = guards.list().stream().map(DetectionApi::describe).toList();
      return api.ok(Map.of("total", out.size(), "guards", out,
          "rememberedUsernames", guards.rememberedUsernames()));
    }
    if (r.method().equals(HttpMethod.DELETE)) {
      String username = r.param("username");
      if (username == null || username.isBlank()) {
        throw HttpError.badRequest("missing ?username=");
      }
      UsernameGuards.Guard lifted = guards.clear(username);
      if (lifted == null) {
        throw HttpError.notFound("username " + username + " is not guarded");
      }
      return api.ok(Map.of("removed", describe(lifted)));
    }
    throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or DELETE on /api/detections/guards");
  }

  private static Map<String, Object> describe(UsernameGuards.Guard g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("username", g.username());
    m.put("reason", g.reason());
    m.put("source", g.source());
    m.put("added", g.added().toString());
    m.put("expires", g.expires().toString());
    return m;
  }

  private Map<String, Object> list(DetectionEngine engine, Request r) {
    String clientId = r.param("client-id");
    String ip = r.param("ip");
    String username = r.param("username");
    String detector = r.param("detector");
    int limit = AdminApi.limit(r.param("limit"), MAX_LIMIT);
    Predicate<DetectionRecord> filter = rec -> {
      Detection d = rec.detection();
      return (clientId == null || clientId.equals(d.clientId()))
          && (ip == null || ip.equals(d.remoteIp()))
          && (username == null || username.equals(d.username()))
          && (detector == null || detector.equals(d.detector()));
    };
    List<Map<String, Object>> out = new ArrayList<>();
    for (DetectionRecord rec : engine.log().recent(limit, filter)) {
      out.add(describe(rec));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", engine.enabled());
    m.put("total", engine.log().total());
    m.put("byDetector", engine.log().byDetector());
    m.put("rules", engine.ruleNames());
    m.put("trackedClients", engine.trackedClients());
    m.put("detections", out);
    return m;
  }

  private Response clear(DetectionEngine engine, Request r) {
    Kind kind = null;
    String value = null;
    for (Kind k : List.of(Kind.CLIENT_ID, Kind.IP, Kind.USERNAME)) {
      String v = r.param(k.key());
      if (v != null) {
        if (kind != null) {
          throw HttpError.badRequest("name exactly one of ?client-id=, ?ip=, ?username=");
        }
        kind = k;
        value = v;
      }
    }
    if (kind == null || value.isBlank()) {
      throw HttpError.badRequest("missing ?client-id=, ?ip= or ?username=");
    }
    List<String> cleared;
    try {
      cleared = engine.responder().clear(kind, value);
    } catch (IllegalArgumentException e) {
      throw new HttpError(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }
    if (cleared.isEmpty()) {
      throw HttpError.notFound("detection holds nothing against " + kind.key() + " " + value);
    }
    return api.ok(Map.of("cleared", cleared, kind.key(), value));
  }

  private static Map<String, Object> describe(DetectionRecord rec) {
    Detection d = rec.detection();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", d.time().toString());
    m.put("detector", d.detector());
    m.put("clientId", d.clientId());
    m.put("remoteIp", d.remoteIp());
    m.put("username", d.username());
    m.put("listener", rec.listener());
    m.put("cohort", d.cohort());
    m.put("score", d.score());
    m.put("because", d.because());
    m.put("wanted", d.wanted() == null ? null : d.wanted().name().toLowerCase());
    m.put("action", rec.action());
    m.put("blockSeconds", rec.blockSeconds());
    return m;
  }
}

package io.bastion.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.backend.discovery.SourceStatus;
import io.bastion.config.BrokerConfig;
import io.bastion.config.ConfigError;
import io.bastion.frontend.Listener;
import io.bastion.frontend.Refusal;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.relay.Session;
import io.bastion.relay.TrafficStats.Direction;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin JSON API: one method per route, all answers JSON, every error a status and message. */
final class AdminApi {

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 10_000;

  private final NodeControl node;
  private final PrometheusMeterRegistry registry;
  private final MetricsBinder metrics;
  private final double defaultDrainRate;
  private final BlocklistApi lists;
  private final ClusterApi clusterApi;
  private final DetectionApi detections;
  private final ObjectMapper json =
      new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .findAndRegisterModules();

  AdminApi(NodeControl node, PrometheusMeterRegistry registry, MetricsBinder metrics, double defaultDrainRate) {
    this.node = node;
    this.registry = registry;
    this.metrics = metrics;
    this.defaultDrainRate = defaultDrainRate;
    this.lists = new BlocklistApi(node, this);
    this.clusterApi = new ClusterApi(node, this);
    this.detections = new DetectionApi(node, this);
  }

  /** Health endpoints answer without a token: orchestrators probe them. */
  static boolean isPublic(Request r) {
    return r.path().size() == 2 && r.path().get(0).equals("health");
  }

  Response handle(Request r) {
    if (r.is(HttpMethod.GET, "health", "live")) {
      return ok(Map.of("status", "live"));
    }
    if (r.is(HttpMethod.GET, "health", "ready")) {
      List<String> reasons = node.notReadyReasons();
      return reasons.isEmpty()
          ? ok(Map.of("status", "ready"))
          : json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("status", "not-ready", "reasons", reasons));
    }
    if (r.is(HttpMethod.GET, "metrics")) {
      metrics.refresh();
      return new Response(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
          registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
    if (r.path().isEmpty() || !r.path().get(0).equals("api")) {
      throw HttpError.notFound("no such route: " + String.join("/", r.path()));
    }
    Response listAnswer = lists.handle(r, this::body);
    if (listAnswer != null) {
      return listAnswer;
    }
    Response clusterAnswer = clusterApi.handle(r, limit(r.param("limit")));
    if (clusterAnswer != null) {
      return clusterAnswer;
    }
    Response detectionAnswer = detections.handle(r);
    if (detectionAnswer != null) {
      return detectionAnswer;
    }
    if (r.is(HttpMethod.GET, "api", "overview")) {
      return ok(overview());
    }
    if (r.is(HttpMethod.GET, "api", "brokers")) {
      return ok(brokers());
    }
    if (r.is(HttpMethod.POST, "api", "pools", "*", "brokers")) {
      return addBroker(r.path().get(2), body(r));
    }
    if (r.is(HttpMethod.PUT, "api", "pools", "*", "brokers", "*")) {
      return register(r.path().get(2), r.path().get(4), body(r));
    }
    if (r.is(HttpMethod.GET, "api", "discovery")) {
      return ok(discovery());
    }
    if (r.is(HttpMethod.GET, "api", "detection", "models")) {
      return ok(model().status());
    }
    if (r.is(HttpMethod.GET, "api", "detection", "models", "*")) {
      String cohort = r.path().get(3);
      return ok(model().status().cohorts().stream().filter(c -> c.cohort().equals(cohort)).findFirst()
          .orElseThrow(() -> HttpError.notFound("no cohort model named '" + cohort + "' yet")));
    }
    if (r.is(HttpMethod.GET, "api", "priority")) {
      return ok(PriorityView.of(node.priority().status()));
    }
    if (r.is(HttpMethod.DELETE, "api", "pools", "*", "brokers", "*")) {
      pool(r.path().get(2));
      if (node.discovery().registrationEnabled(r.path().get(2))
          && node.discovery().deregister(r.path().get(2), r.path().get(4))) {
        return json(HttpResponseStatus.ACCEPTED, Map.of("deregistered", r.path().get(4)));
      }
      Broker b = broker(r.path().get(2), r.path().get(4));
      double rate = rate(r.param("rate"));
      node.removeBroker(b.pool(), b.id(), rate);
      return json(HttpResponseStatus.ACCEPTED, Map.of("removing", b.id(), "drain-rate", rate));
    }
    if (r.is(HttpMethod.POST, "api", "pools", "*", "brokers", "*", "drain")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      JsonNode body = r.body().isBlank() ? json.createObjectNode() : body(r);
      double rate = body.has("rate") ? positive(body.get("rate"), "rate") : defaultDrainRate;
      int moving = drainEverywhere(b, true, rate);
      return json(HttpResponseStatus.ACCEPTED, Map.of("draining", b.id(), "sessions", moving, "rate", rate));
    }
    if (r.is(HttpMethod.POST, "api", "pools", "*", "brokers", "*", "undrain")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      drainEverywhere(b, false, defaultDrainRate);
      return ok(Map.of("undrained", b.id()));
    }
    if (r.is(HttpMethod.POST, "api", "pools", "*", "brokers", "*", "disable")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      configureEverywhere(b, true, b.adminWeight());
      return ok(Map.of("disabled", b.id()));
    }
    if (r.is(HttpMethod.POST, "api", "pools", "*", "brokers", "*", "enable")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      configureEverywhere(b, false, b.adminWeight());
      return ok(Map.of("enabled", b.id()));
    }
    if (r.is(HttpMethod.PUT, "api", "pools", "*", "brokers", "*", "weight")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      int weight = integer(body(r), "weight", 1, 1000, -1);
      configureEverywhere(b, b.disabled(), weight);
      return ok(Map.of("broker", b.id(), "weight", weight));
    }
    if (r.is(HttpMethod.DELETE, "api", "pools", "*", "brokers", "*", "weight")) {
      Broker b = broker(r.path().get(2), r.path().get(4));
      configureEverywhere(b, b.disabled(), 0);
      return ok(Map.of("broker", b.id(), "weight", b.configuredWeight()));
    }
    if (r.is(HttpMethod.GET, "api", "sessions")) {
      return ok(sessions(r));
    }
    if (r.is(HttpMethod.DELETE, "api", "sessions", "*")) {
      return disconnect(r.path().get(2));
    }
    if (r.is(HttpMethod.GET, "api", "events")) {
      int limit = limit(r.param("limit"));
      return ok(Map.of("total", node.events().total(), "events", node.events().recent(limit)));
    }
    if (r.is(HttpMethod.POST, "api", "config", "validate")) {
      List<ConfigError> errors = node.validate(r.body());
      return errors.isEmpty()
          ? ok(Map.of("valid", true))
          : json(HttpResponseStatus.UNPROCESSABLE_ENTITY, Map.of("status", 422,
              "error", "invalid configuration: " + errors.size() + " error(s)", "valid", false,
              "errors", errors));
    }
    if (r.is(HttpMethod.POST, "api", "config", "reload")) {
      try {
        return ok(Map.of("reloaded", true, "changes", node.reload()));
      } catch (NodeControl.ReloadException e) {
        return json(HttpResponseStatus.UNPROCESSABLE_ENTITY, Map.of("status", 422,
            "error", e.getMessage(), "reloaded", false, "errors", e.errors()));
      }
    }
    throw HttpError.notFound("no such route: " + r.method() + " /" + String.join("/", r.path()));
  }

  private io.bastion.detect.model.FleetModel model() {
    io.bastion.detect.model.FleetModel model = node.fleetModel();
    if (model == null) {
      throw HttpError.notFound("the anomaly model is off (detection.enabled or detection.model.enabled is false)");
    }
    return model;
  }

  /** A drain applies on every node of the cluster, or (without a majority) nowhere: 503. */
  private int drainEverywhere(Broker b, boolean draining, double rate) {
    try {
      return node.cluster().drain(b, draining, rate);
    } catch (io.bastion.cluster.ClusterUnavailableException e) {
      throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
  }

  /** Disabled and weight apply on every node of the cluster, or (without a majority) nowhere: 503. */
  private void configureEverywhere(Broker b, boolean disabled, int weight) {
    try {
      node.cluster().configure(b, disabled, weight);
    } catch (io.bastion.cluster.ClusterUnavailableException e) {
      throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
  }

  private Map<String, Object> overview() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("node", node.nodeId());
    o.put("time", Instant.now().toString());
    o.put("sessions", node.sessions().size());
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (Listener l : node.listeners()) {
      long refused = 0;
      for (Refusal reason : Refusal.values()) {
        refused += l.stats().refusals(reason);
      }
      listeners.add(Map.of("name", l.name(),
          "address", l.address().getHostString() + ":" + l.address().getPort(),
          "open", l.stats().open(), "accepted", l.stats().accepted(), "refused", refused));
    }
    o.put("listeners", listeners);
    o.put("publishesIn", node.traffic().packets(Direction.CLIENT_TO_BROKER, PacketType.PUBLISH));
    o.put("publishesOut", node.traffic().packets(Direction.BROKER_TO_CLIENT, PacketType.PUBLISH));
    long bytesIn = 0;
    long bytesOut = 0;
    for (PacketType t : PacketType.values()) {
      bytesIn += node.traffic().bytes(Direction.CLIENT_TO_BROKER, t);
      bytesOut += node.traffic().bytes(Direction.BROKER_TO_CLIENT, t);
    }
    o.put("bytesIn", bytesIn);
    o.put("bytesOut", bytesOut);
    o.put("securityEvents", node.events().total());
    return o;
  }

  private List<Map<String, Object>> brokers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BrokerPool pool : node.pools()) {
      for (Broker b : pool.brokers()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool.name());
        m.put("id", b.id());
        m.put("host", b.host());
        m.put("port", b.address().getPort());
        m.put("weight", b.weight());
        m.put("configuredWeight", b.configuredWeight());
        m.put("healthy", b.healthy());
        m.put("ejected", b.ejected());
        m.put("draining", b.draining());
        m.put("disabled", b.disabled());
        m.put("available", b.available());
        m.put("sessions", b.sessions());
        m.put("sessionsPlaced", b.sessionsPlaced());
        m.put("failedConnects", b.failedConnects());
        m.put("probeMillis", b.lastProbeNanos() < 0 ? null : b.lastProbeNanos() / 1e6);
        m.put("source", b.source().label());
        m.put("leaseExpires", b.leaseExpires() == null ? null : b.leaseExpires().toString());
        Broker.ReportedLoad reported = b.reported();
        m.put("reportedConnections", reported == null ? null : reported.connections());
        m.put("reportedCapacity",
            reported == null || reported.capacity() == 0 ? null : reported.capacity());
        out.add(m);
      }
    }
    return out;
  }

  /** A broker announces itself or renews its lease, with the load it reports. */
  private Response register(String poolName, String id, JsonNode body) {
    pool(poolName);
    String host = text(body, "host", true);
    int port = integer(body, "port", 1, 65535, -1);
    int weight = integer(body, "weight", 1, 1000, 1);
    int leaseSeconds = integer(body, "lease", 1, 86_400, 0);
    Broker.ReportedLoad load = null;
    if (body.has("connections")) {
      load = new Broker.ReportedLoad(integer(body, "connections", 0, Integer.MAX_VALUE, 0),
          integer(body, "capacity", 0, Integer.MAX_VALUE, 0), Instant.now());
    }
    Instant expires;
    try {
      expires = node.discovery().register(poolName, new BrokerConfig(id, host, port, weight),
          leaseSeconds == 0 ? null : Duration.ofSeconds(leaseSeconds), load);
    } catch (IllegalStateException e) {
      throw new HttpError(HttpResponseStatus.CONFLICT, e.getMessage());
    }
    return ok(Map.of("registered", id, "pool", poolName, "leaseExpires", expires.toString(),
        "leaseSeconds", Duration.between(Instant.now(), expires).toSeconds()));
  }

  private List<Map<String, Object>> discovery() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SourceStatus st : node.discovery().statuses()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pool", st.pool());
      m.put("source", st.source().label());
      m.put("brokers", st.brokers());
      m.put("refreshes", st.refreshes());
      m.put("failures", st.failures());
      m.put("lastRefresh", st.lastRefresh() == null ? null : st.lastRefresh().toString());
      m.put("lastError", st.lastError());
      out.add(m);
    }
    return out;
  }

  private Response addBroker(String poolName, JsonNode body) {
    pool(poolName);
    String host = text(body, "host", true);
    int port = integer(body, "port", 1, 65535, -1);
    String id = body.has("id") ? text(body, "id", true) : host + ":" + port;
    int weight = integer(body, "weight", 1, 1000, 1);
    for (Broker b : pool(poolName).brokers()) {
      if (b.id().equals(id)) {
        throw new HttpError(HttpResponseStatus.CONFLICT, "pool " + poolName + " already has broker " + id);
      }
    }
    node.addBroker(poolName, new BrokerConfig(id, host, port, weight));
    return json(HttpResponseStatus.CREATED, Map.of("added", id, "pool", poolName));
  }

  private Map<String, Object> sessions(Request r) {
    String clientId = r.param("client-id");
    String username = r.param("username");
    String address = r.param("address");
    String broker = r.param("broker");
    int limit = limit(r.param("limit"));
    List<Map<String, Object>> found = new ArrayList<>();
    int matched = 0;
    for (Session s : node.sessions().sessions()) {
      if ((clientId != null && !clientId.equals(s.clientId()))
          || (username != null && !username.equals(s.username()))
          || (address != null && !hostOf(s).equals(address))
          || (broker != null && !broker.equals(s.broker().id()))) {
        continue;
      }
      matched++;
      if (found.size() < limit) {
        found.add(describe(s));
      }
    }
    return Map.of("total", matched, "sessions", found);
  }

  private Response disconnect(String clientId) {
    int n = 0;
    for (Session s : node.sessions().sessions()) {
      if (s.clientId().equals(clientId)) {
        s.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
        n++;
      }
    }
    if (n == 0) {
      throw HttpError.notFound("no session with client id " + clientId);
    }
    return ok(Map.of("disconnected", n));
  }

  private static String hostOf(Session s) {
    return s.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(s.remoteAddress());
  }

  private static Map<String, Object> describe(Session s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clientId", s.clientId());
    m.put("username", s.username());
    m.put("address", String.valueOf(s.remoteAddress()));
    m.put("listener", s.listener());
    m.put("protocolLevel", s.protocolLevel());
    m.put("pool", s.broker().pool());
    m.put("broker", s.broker().id());
    m.put("since", s.started().toString());
    m.put("seconds", Duration.between(s.started(), Instant.now()).toSeconds());
    m.put("bytesIn", s.bytesIn());
    m.put("bytesOut", s.bytesOut());
    return m;
  }

  private BrokerPool pool(String name) {
    return node.pools().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> HttpError.notFound("no pool " + name));
  }

  private Broker broker(String poolName, String id) {
    return pool(poolName).brokers().stream().filter(b -> b.id().equals(id)).findFirst()
        .orElseThrow(() -> HttpError.notFound("no broker " + id + " in pool " + poolName));
  }

  private double rate(String value) {
    if (value == null) {
      return defaultDrainRate;
    }
    try {
      double d = Double.parseDouble(value);
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw HttpError.badRequest("rate must be a positive number of sessions per second, got " + value);
  }

  private static double positive(JsonNode n, String key) {
    if (!n.isNumber() || n.asDouble() <= 0) {
      throw HttpError.badRequest(key + " must be a positive number");
    }
    return n.asDouble();
  }

  private static int limit(String value) {
    return limit(value, MAX_LIMIT);
  }

  /** A {@code limit} query parameter: 100 when absent, else 1 to {@code max}. */
  static int limit(String value, int max) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw HttpError.badRequest("limit must be a whole number from 1 to " + max);
  }

  private JsonNode body(Request r) {
    try {
      JsonNode n = json.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw HttpError.badRequest("the body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode body, String key, boolean required) {
    JsonNode n = body.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw HttpError.badRequest("missing \"" + key + "\"");
      }
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw HttpError.badRequest("\"" + key + "\" must be a non-empty string");
    }
    return n.asText();
  }

  private static int integer(JsonNode body, String key, int min, int max, int dflt) {
    JsonNode n = body.get(key);
    if (n == null || n.isNull()) {
      if (dflt < 0) {
        throw HttpError.badRequest("missing \"" + key + "\"");
      }
      return dflt;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
      throw HttpError.badRequest("\"" + key + "\" must be a whole number from " + min + " to " + max);
    }
    return n.asInt();
  }

  Response ok(Object body) {
    return json(HttpResponseStatus.OK, body);
  }

  Response json(HttpResponseStatus status, Object body) {
    try {
      return new Response(status, Response.JSON, json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  Response error(HttpResponseStatus status, String message) {
    ObjectNode n = json.createObjectNode();
    n.put("status", status.code());
    n.put("error", message);
    return json(status, n);
  }

}

package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.Bastion;
import io.bastion.config.AdminConfig;
import io.bastion.config.BastionConfig;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.ProxyFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every admin endpoint, with good and bad input, against a node in front of real brokers. */
class AdminApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ProxyFixture fixture;
  private static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.start(3);
    admin = new AdminClient(fixture.bastion().adminPort(), null);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void healthEndpoints() throws Exception {
    assertThat(admin.get("/health/live").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/health/ready").statusCode() == 200);
    assertThat(json(admin.get("/health/ready")).get("status").asText()).isEqualTo("ready");
  }

  @Test
  void brokersAreListedWithHealthAndLoad() throws Exception {
    HttpResponse<String> r = admin.get("/api/brokers");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode brokers = json(r);
    assertThat(brokers).hasSize(3);
    Set<String> ids = new HashSet<>();
    brokers.forEach(b -> ids.add(b.get("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("broker-1", "broker-2", "broker-3");
    assertThat(brokers.get(0).get("healthy").asBoolean()).isTrue();
    assertThat(brokers.get(0).has("sessions")).isTrue();
  }

  @Test
  void sessionsAreFoundAndDisconnected() throws Exception {
    Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("admin-target")
        .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
    client.connectWith().simpleAuth().username("alice").password("x".getBytes()).applySimpleAuth().send();
    JsonNode found = json(admin.get("/api/sessions?client-id=admin-target"));
    assertThat(found.get("total").asInt()).isEqualTo(1);
    JsonNode s = found.get("sessions").get(0);
    assertThat(s.get("username").asText()).isEqualTo("alice");
    assertThat(s.get("broker").asText()).isEqualTo(fixture.broker(fixture.homeOf("admin-target")).name());
    assertThat(json(admin.get("/api/sessions?username=alice")).get("total").asInt()).isEqualTo(1);
    assertThat(json(admin.get("/api/sessions?address=127.0.0.1")).get("total").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(json(admin.get("/api/sessions?username=nobody")).get("total").asInt()).isZero();

    assertThat(admin.delete("/api/sessions/admin-target").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    assertThat(admin.delete("/api/sessions/admin-target").statusCode()).isEqualTo(404);
  }

  @Test
  void brokersAreAddedDrainedAndRemoved() throws Exception {
    EmbeddedBroker extra = EmbeddedBroker.start("extra", java.nio.file.Files.createTempDirectory("extra"), 0);
    try {
      String body = "{\"id\":\"extra\",\"host\":\"127.0.0.1\",\"port\":" + extra.port() + ",\"weight\":2}";
      assertThat(admin.post("/api/pools/brokers/brokers", body).statusCode()).isEqualTo(201);
      assertThat(admin.post("/api/pools/brokers/brokers", body).statusCode()).isEqualTo(409);
      assertThat(json(admin.get("/api/brokers"))).hasSize(4);
      // the new broker gets probed and takes sessions
      await().atMost(Duration.ofSeconds(10)).until(() ->
          fixture.bastion().backends().pool("brokers").broker("extra").lastProbeNanos() > 0);

      HttpResponse<String> drain = admin.post("/api/pools/brokers/brokers/extra/drain", "{\"rate\": 20}");
      assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
      assertThat(fixture.bastion().backends().pool("brokers").broker("extra").draining()).isTrue();
      assertThat(admin.post("/api/pools/brokers/brokers/extra/undrain", "").statusCode()).isEqualTo(200);
      assertThat(fixture.bastion().backends().pool("brokers").broker("extra").draining()).isFalse();

      assertThat(admin.delete("/api/pools/brokers/brokers/extra").statusCode()).isEqualTo(202);
      assertThat(json(admin.get("/api/brokers"))).hasSize(3);
      assertThat(admin.delete("/api/pools/brokers/brokers/extra").statusCode()).isEqualTo(404);
    } finally {
      extra.stop();
    }
  }

  @Test
  void brokersAreDisabledEnabledAndReweighted() throws Exception {
    io.bastion.backend.Broker b = fixture.bastion().backends().pool("brokers").broker("broker-1");
    try {
      assertThat(admin.post("/api/pools/brokers/brokers/broker-1/disable", "").statusCode()).isEqualTo(200);
      assertThat(b.available()).isFalse();
      assertThat(listed("broker-1").get("disabled").asBoolean()).isTrue();
      HttpResponse<String> weighted = admin.send("PUT", "/api/pools/brokers/brokers/broker-1/weight", "{\"weight\": 4}");
      assertThat(weighted.statusCode()).as(weighted.body()).isEqualTo(200);
      assertThat(b.disabled()).as("a weight change keeps the broker disabled").isTrue();
      assertThat(admin.get("/metrics").body())
          .contains("bastion_broker_disabled{broker=\"broker-1\",pool=\"brokers\"} 1.0")
          .contains("bastion_broker_weight{broker=\"broker-1\",pool=\"brokers\"} 4.0");
      assertThat(listed("broker-1").get("weight").asInt()).isEqualTo(4);
      assertThat(listed("broker-1").get("configuredWeight").asInt()).isEqualTo(1);
      assertThat(admin.post("/api/pools/brokers/brokers/broker-1/enable", "").statusCode()).isEqualTo(200);
      assertThat(b.available()).isTrue();
      assertThat(b.weight()).as("enabling keeps the weight").isEqualTo(4);
      assertThat(admin.delete("/api/pools/brokers/brokers/broker-1/weight").statusCode()).isEqualTo(200);
      assertThat(listed("broker-1").get("weight").asInt()).isEqualTo(1);
    } finally {
      b.setDisabled(false);
      b.setAdminWeight(0);
    }
  }

  private static JsonNode listed(String id) throws Exception {
    for (JsonNode n : json(admin.get("/api/brokers"))) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no broker " + id + " in /api/brokers");
  }

  @Test
  void badRequestsGetAReason() throws Exception {
    assertError(admin.post("/api/pools/brokers/brokers", "not json"), 400, "not valid JSON");
    assertError(admin.post("/api/pools/brokers/brokers", "[1]"), 400, "JSON object");
    assertError(admin.post("/api/pools/brokers/brokers", "{\"host\":\"127.0.0.1\"}"), 400, "port");
    assertError(admin.post("/api/pools/brokers/brokers", "{\"host\":\"h\",\"port\":70000}"), 400, "port");
    assertError(admin.post("/api/pools/nope/brokers", "{\"host\":\"h\",\"port\":1}"), 404, "no pool nope");
    assertError(admin.post("/api/pools/brokers/brokers/broker-1/drain", "{\"rate\": -1}"), 400, "rate");
    assertError(admin.post("/api/pools/brokers/brokers/none/drain", ""), 404, "no broker none");
    assertError(admin.send("PUT", "/api/pools/brokers/brokers/broker-1/weight", "{\"weight\": 0}"), 400, "weight");
    assertError(admin.send("PUT", "/api/pools/brokers/brokers/broker-1/weight", "{\"weight\": 1.5}"), 400, "weight");
    assertError(admin.send("PUT", "/api/pools/brokers/brokers/broker-1/weight", "{}"), 400, "missing \"weight\"");
    assertError(admin.send("PUT", "/api/pools/brokers/brokers/none/weight", "{\"weight\": 2}"), 404, "no broker none");
    assertError(admin.post("/api/pools/brokers/brokers/none/disable", ""), 404, "no broker none");
    assertError(admin.post("/api/pools/nope/brokers/broker-1/enable", ""), 404, "no pool nope");
    assertError(admin.get("/api/sessions?limit=0"), 400, "limit");
    assertError(admin.get("/api/nothing"), 404, "no such route");
    assertError(admin.get("/nothing/here"), 404, "no such route");
    assertError(admin.post("/api/config/reload", ""), 422, "without a configuration file");
  }

  @Test
  void candidateConfigurationsAreValidated() throws Exception {
    HttpResponse<String> good = admin.post("/api/config/validate",
        "listeners:\n  - name: m\n    port: 1883\npools:\n  - name: p\n    brokers:\n      - host: 127.0.0.1\n        port: 1884\n");
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    HttpResponse<String> bad = admin.post("/api/config/validate", "listeners:\n  - name: m\n    prt: 1\n");
    assertThat(bad.statusCode()).isEqualTo(422);
    JsonNode errors = json(bad).get("errors");
    assertThat(errors.toString()).contains("listeners[0].prt").contains("\"line\":3");
  }

  @Test
  void eventsShowRefusals() throws Exception {
    try (var raw = new io.bastion.testing.RawMqttClient(fixture.port())) {
      raw.send(new byte[] {0x30, 0x00});
      raw.closedWithin(5000);
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        json(admin.get("/api/events")).get("events").toString().contains("first-packet-not-connect"));
  }

  @Test
  void metricsAreValidPrometheusText() throws Exception {
    HttpResponse<String> r = admin.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    PrometheusText.assertValid(r.body());
    assertThat(r.body())
        .contains("bastion_connections_accepted_total{listener=\"mqtt\"}")
        .contains("bastion_broker_up{broker=\"broker-1\",pool=\"brokers\"}")
        .contains("bastion_relay_packets_total{direction=\"client-to-broker\",type=\"publish\"}")
        .contains("bastion_connections_refused_total{listener=\"mqtt\",reason=\"no-route\"}")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void grafanaDashboardQueriesOnlyMetricsThatExist() throws Exception {
    String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/grafana/bastion-dashboard.json"));
    String metrics = admin.get("/metrics").body();
    java.util.regex.Matcher m = Pattern.compile("\\b((?:bastion|jvm|process)_[a-z_]+)\\b").matcher(dashboard);
    Set<String> names = new HashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).hasSizeGreaterThan(10);
    for (String name : names) {
      assertThat(metrics).as("metric %s used by the Grafana dashboard", name).containsPattern("(?m)^" + name + "[{ ]");
    }
  }

  @Test
  void dashboardIsServed() throws Exception {
    HttpResponse<String> page = admin.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("app.js");
    assertThat(admin.get("/app.js").statusCode()).isEqualTo(200);
  }

  @Test
  void tokenIsRequiredWhenConfigured() throws Exception {
    BastionConfig base = fixture.bastion().config();
    BastionConfig withToken = new BastionConfig(base.listeners().stream()
        .map(l -> new io.bastion.config.ListenerConfig("other", l.bind(), 0, l.connectTimeout(), l.maxPacketSize()))
        .toList(), base.pools(), base.rules(), base.shutdown(),
        new AdminConfig(true, "127.0.0.1", 0, "s3cret", 50));
    try (Bastion secured = Bastion.start(withToken)) {
      AdminClient none = new AdminClient(secured.adminPort(), null);
      AdminClient wrong = new AdminClient(secured.adminPort(), "guess");
      AdminClient right = new AdminClient(secured.adminPort(), "s3cret");
      assertError(none.get("/api/brokers"), 401, "token");
      assertError(wrong.get("/api/brokers"), 401, "token");
      assertError(none.get("/metrics"), 401, "token");
      assertThat(none.get("/api/brokers").headers().firstValue("www-authenticate")).isPresent();
      assertThat(right.get("/api/brokers").statusCode()).isEqualTo(200);
      assertThat(none.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(none.get("/").statusCode()).isEqualTo(200);
    }
  }

  private static void assertError(HttpResponse<String> r, int status, String messagePart) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).containsIgnoringCase(messagePart);
  }

  /** A strict reader of the Prometheus text exposition format (version 0.0.4). */
  static final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\})? "
            + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");

    static void assertValid(String text) {
      Set<String> typed = new HashSet<>();
      int samples = 0;
      for (String line : text.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ", 4);
          assertThat(parts.length).as(line).isGreaterThanOrEqualTo(3);
          assertThat(NAME.matcher(parts[2]).matches()).as(line).isTrue();
          if (line.startsWith("# TYPE ")) {
            assertThat(parts[3]).as(line).isIn("counter", "gauge", "histogram", "summary", "untyped");
            assertThat(typed.add(parts[2])).as("TYPE given twice: " + line).isTrue();
          }
          continue;
        }
        assertThat(line).as("comment").doesNotStartWith("#");
        assertThat(SAMPLE.matcher(line).matches()).as("sample line: " + line).isTrue();
        samples++;
      }
      assertThat(samples).isGreaterThan(50);
    }
  }
}

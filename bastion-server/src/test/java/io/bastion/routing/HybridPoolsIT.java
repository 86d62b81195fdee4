package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.ProxyFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A local site (two brokers, priority 1) with the cloud as reserve (one broker, priority 2), all
 * real HiveMQ brokers: clients leave for the cloud when the site goes down or fills up, and come
 * back, paced, once it has been up for the return hold.
 */
class HybridPoolsIT {

  private static final int LOCAL_1 = 0;
  private static final int LOCAL_2 = 1;
  private static final int CLOUD = 2;
  private static final double RETURN_RATE = 5;

  private ProxyFixture fixture;
  private final List<Mqtt5AsyncClient> v5 = new ArrayList<>();
  private final List<Mqtt3AsyncClient> v3 = new ArrayList<>();
  private final Map<String, Mqtt5DisconnectReasonCode> reasons = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    v5.forEach(c -> all.add(c.disconnect().exceptionally(e -> null)));
    v3.forEach(c -> all.add(c.disconnect().exceptionally(e -> null)));
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void siteDownMovesClientsToTheCloudAndTheyComeBackPacedAfterTheHold() throws Exception {
    fixture = ProxyFixture.startYaml(3, Path.of("."), f -> yaml(f, "", "return-hold: 5s, return-rate: "
        + RETURN_RATE));
    List<CompletableFuture<?>> connects = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      connects.add(mqtt5("plant-" + i).connect());
    }
    for (int i = 0; i < 4; i++) {
      connects.add(mqtt3("plant-old-" + i).connect());
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    List<String> ids = ids();
    await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(id -> onLocal(id)));

    // the whole site goes down: every client reconnects through Bastion to the cloud
    CompletableFuture<Void> down1 = fixture.broker(LOCAL_1).stopAsync();
    CompletableFuture<Void> down2 = fixture.broker(LOCAL_2).stopAsync();
    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> onCloud(id)));
    CompletableFuture.allOf(down1, down2).get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> status().active().equals("cloud"));
    assertThat(status().reason()).isEqualTo("local: no broker available");
    assertThat(status().sessionsBelow()).isZero();
    assertThat(fixture.bastion().notReadyReasons()).as("the reserve serves: still ready").isEmpty();
    JsonNode rule = json(admin("/api/priority")).get(0);
    assertThat(rule.get("rule").asText()).isEqualTo("plant");
    assertThat(rule.get("active").asText()).isEqualTo("cloud");
    assertThat(rule.get("pools")).extracting(p -> p.get("pool").asText() + ":" + p.get("state").asText()
        + ":" + p.get("active").asBoolean()).containsExactly("local:down:false", "cloud:up:true");
    String metrics = admin("/metrics");
    assertThat(metric(metrics, "bastion_rule_pool_active", "pool=\"cloud\"")).isEqualTo(1.0);
    assertThat(metric(metrics, "bastion_rule_pool_active", "pool=\"local\"")).isEqualTo(0.0);

    // the site comes back (new broker instances on the same folders and ports)
    fixture.restart(LOCAL_1);
    fixture.restart(LOCAL_2);
    await().atMost(Duration.ofSeconds(10)).until(() -> status().active().equals("local"));
    // the old sessions wait out the hold on the cloud...
    PriorityStatus holding = status();
    assertThat(holding.sessionsBelow()).isEqualTo(ids.size());
    assertThat(holding.returnInSeconds()).isPositive();
    assertThat(ids).allMatch(id -> onCloud(id));
    // ...while new sessions go to the recovered site at once
    Mqtt5AsyncClient fresh = mqtt5("plant-new");
    fresh.connect().get(10, TimeUnit.SECONDS);
    // (a broker counts a client a moment after its CONNACK went out)
    await().atMost(Duration.ofSeconds(5)).until(() -> onLocal("plant-new"));
    assertThat(fixture.broker(CLOUD).connectCount("plant-new")).isZero();

    await().atMost(Duration.ofSeconds(10)).until(() -> status().movedBack() > 0);
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> onLocal(id)));
    double seconds = (System.nanoTime() - started) / 1e9;
    // paced: the first moved at once, the other n - 1 at RETURN_RATE a second
    assertThat(seconds).isGreaterThanOrEqualTo((ids.size() - 1) / RETURN_RATE * 0.8);
    assertThat(status().movedBack()).isEqualTo(ids.size());
    // a moved session leaves the registry a moment after its client is back on the local site
    await().atMost(Duration.ofSeconds(5)).until(() -> status().sessionsBelow() == 0);
    assertThat(metric(admin("/metrics"), "bastion_rule_sessions_moved_back_total", "rule=\"plant\""))
        .isEqualTo(ids.size());
    assertThat(json(admin("/api/priority")).get(0).get("movedBack").asInt()).isEqualTo(ids.size());
    // (the health probe's own client may be connected there)
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker(CLOUD).connectedClientIds()
        .stream().noneMatch(id -> id.startsWith("plant-")));
    // MQTT 5 clients were told to use another server; 3.1.1 ones were closed and came back too
    assertThat(v5.subList(0, 8)).allSatisfy(c -> assertThat(reasons.get(id(c)))
        .isEqualTo(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER));
  }

  @Test
  void aFullSiteOverflowsToTheCloudAndTakesItsClientsBackWhenLoadFalls() throws Exception {
    // one local broker of capacity 5, full from 80%: the fifth client goes to the cloud
    fixture = ProxyFixture.startYaml(3, Path.of("."), f -> yaml(f, ", capacity: 5",
        "load-threshold: 0.8, return-hold: 500ms, return-rate: 10"));
    fixture.broker(LOCAL_2).stop();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        status().pools().get(0).available() == 1);
    for (int i = 0; i < 4; i++) {
      mqtt5("fill-" + i).connect().get(10, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        ids().stream().allMatch(id -> fixture.broker(LOCAL_1).isConnected(id)));
    mqtt5("spill-0").connect().get(10, TimeUnit.SECONDS);
    mqtt5("spill-1").connect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> onCloud("spill-0") && onCloud("spill-1"));
    assertThat(fixture.broker(LOCAL_1).connectCount("spill-0")).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> status().active().equals("cloud"));
    assertThat(status().reason()).isEqualTo("local: every broker at load threshold 0.8");
    assertThat(status().pools().get(0).load()).isEqualTo(0.8);

    // two local clients leave: the site has room again and the spilled ones come back
    v5.get(0).disconnect().get(10, TimeUnit.SECONDS);
    v5.get(1).disconnect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(15)).until(() ->
        fixture.broker(LOCAL_1).isConnected("spill-0") && fixture.broker(LOCAL_1).isConnected("spill-1"));
    assertThat(fixture.broker(CLOUD).connectedClientIds()).noneMatch(id -> id.startsWith("spill-"));
    assertThat(status().movedBack()).isEqualTo(2);
    assertThat(reasons.get("spill-0")).isEqualTo(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER);
  }

  @Test
  void loadThatARegisteredBrokerReportsDecidesWhenItsPoolIsFull() throws Exception {
    fixture = ProxyFixture.startYaml(3, Path.of("."), f -> """
        listeners:
          - {name: mqtt, bind: 127.0.0.1, port: 0}
        pools:
          - name: local
            health: {interval: 200ms, timeout: 150ms, rise: 1, fall: 1}
            discovery: {registration: {enabled: true, lease: 30s}}
          - name: cloud
            health: {interval: 200ms, timeout: 150ms, rise: 1, fall: 1}
            brokers:
              - {id: cloud-1, host: 127.0.0.1, port: %d}
        rules:
          - name: plant
            pools: [{pool: local, priority: 1}, {pool: cloud, priority: 2}]
            overflow: {load-threshold: 0.9, return-hold: 500ms, return-rate: 10}
        admin: {port: 0}
        """.formatted(f.broker(CLOUD).port()));
    register(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> status().active().equals("local"));
    mqtt5("reg-0").connect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> isConnected(LOCAL_1, "reg-0"));

    // the broker says it holds 9 of its 10 connections (most of them from elsewhere): full
    register(9);
    await().atMost(Duration.ofSeconds(5)).until(() -> status().active().equals("cloud"));
    assertThat(status().pools().get(0).state()).isEqualTo(PoolState.FULL);
    mqtt5("reg-1").connect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> onCloud("reg-1"));

    register(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> isConnected(LOCAL_1, "reg-1"));
    assertThat(reasons.get("reg-1")).isEqualTo(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER);
    assertThat(isConnected(LOCAL_1, "reg-0")).as("never moved").isTrue();
    assertThat(fixture.broker(LOCAL_1).connectCount("reg-0")).isEqualTo(1);
  }

  /** Registers (or renews) the first local broker as the HiveMQ extension does, with its load. */
  private void register(int connections) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fixture.bastion().adminPort() + "/api/pools/local/brokers/local-1"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"host\": \"127.0.0.1\", \"port\": "
            + fixture.broker(LOCAL_1).port() + ", \"lease\": 30, \"connections\": " + connections
            + ", \"capacity\": 10}"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private String yaml(ProxyFixture f, String localCapacity, String overflow) {
    return """
        listeners:
          - {name: mqtt, bind: 127.0.0.1, port: 0}
        pools:
          - name: local
            health: {interval: 200ms, timeout: 150ms, rise: 1, fall: 1}
            brokers:
              - {id: local-1, host: 127.0.0.1, port: %d}
              - {id: local-2, host: 127.0.0.1, port: %d}
          - name: cloud
            health: {interval: 200ms, timeout: 150ms, rise: 1, fall: 1}
            brokers:
              - {id: cloud-1, host: 127.0.0.1, port: %d}
        rules:
          - name: plant
            pools: [{pool: local, priority: 1%s}, {pool: cloud, priority: 2}]
            overflow: {%s}
        shutdown: {drain-deadline: 1s}
        admin: {port: 0}
        """.formatted(f.broker(LOCAL_1).port(), f.broker(LOCAL_2).port(), f.broker(CLOUD).port(),
            localCapacity, overflow);
  }

  private String admin(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fixture.bastion().adminPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  private static JsonNode json(String body) throws Exception {
    return new ObjectMapper().readTree(body);
  }

  /** The value of the one sample of {@code name} whose labels contain {@code label}. */
  private static double metric(String scrape, String name, String label) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " with " + label));
  }

  private PriorityStatus status() {
    return fixture.bastion().priority().status().get(0);
  }

  private boolean onLocal(String id) {
    return isConnected(LOCAL_1, id) || isConnected(LOCAL_2, id);
  }

  private boolean onCloud(String id) {
    return isConnected(CLOUD, id) && !onLocal(id);
  }

  private boolean isConnected(int broker, String id) {
    EmbeddedBroker b = fixture.broker(broker);
    return b.isRunning() && b.isConnected(id);
  }

  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    v5.forEach(c -> ids.add(id(c)));
    v3.forEach(c -> ids.add(c.getConfig().getClientIdentifier().get().toString()));
    return ids;
  }

  private static String id(Mqtt5AsyncClient c) {
    return c.getConfig().getClientIdentifier().get().toString();
  }

  private Mqtt5AsyncClient mqtt5(String id) {
    Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port())
        .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(300, TimeUnit.MILLISECONDS)
        .applyAutomaticReconnect()
        .addDisconnectedListener(ctx -> {
          if (ctx.getCause() instanceof Mqtt5DisconnectException d) {
            reasons.put(id, d.getMqttMessage().getReasonCode());
          }
        })
        .buildAsync();
    v5.add(c);
    return c;
  }

  private Mqtt3AsyncClient mqtt3(String id) {
    Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port())
        .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(300, TimeUnit.MILLISECONDS)
        .applyAutomaticReconnect()
        .buildAsync();
    v3.add(c);
    return c;
  }
}

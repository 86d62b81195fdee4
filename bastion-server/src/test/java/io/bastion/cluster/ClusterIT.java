package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.bastion.Bastion;
import io.bastion.config.ConfigLoader;
import io.bastion.security.SecurityEvent;
import io.bastion.testing.Ports;
import io.bastion.testing.ProxyFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three Bastion nodes in one JVM, clustered, in front of three real brokers. Nodes 1 and 2 share
 * one configuration; node 3 lacks broker-1 (as if its probe had lost it), so a client id can land on
 * two different brokers through two nodes: only the cluster can notice it is connected twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private ProxyFixture fixture;
  private Bastion node2;
  private Bastion node3;

  @BeforeAll
  void start() throws Exception {
    int[] ports = {Ports.freePort(), Ports.freePort(), Ports.freePort()};
    String h = HazelcastMembers.HOST;
    String seeds = "[\"" + h + ":" + ports[0] + "\", \"" + h + ":" + ports[1] + "\", \"" + h + ":"
        + ports[2] + "\"]";
    fixture = ProxyFixture.startYaml(3, Path.of("."), f -> registrations(f.configYaml(0)) + cluster(ports[0], seeds));
    node2 = Bastion.start(ConfigLoader.parse(registrations(fixture.configYaml(0)) + cluster(ports[1], seeds), "node2"));
    String withoutBroker1 = registrations(fixture.configYaml(0)).replaceFirst(
        "      - id: broker-1\n        host: 127.0.0.1\n        port: \\d+\n", "");
    node3 = Bastion.start(ConfigLoader.parse(withoutBroker1 + cluster(ports[2], seeds), "node3"));
    await().atMost(Duration.ofSeconds(30)).until(() -> List.of(node1(), node2, node3).stream()
        .allMatch(n -> n.cluster().liveNodes() == 3
            && n.cluster().view().members().stream().allMatch(m -> m.node() != null)));
  }

  /** The pool takes registrations from brokers that announce themselves. */
  private static String registrations(String yaml) {
    return yaml.replace("    strategy: client-id-hash\n",
        "    strategy: client-id-hash\n    discovery:\n      registration:\n        enabled: true\n");
  }

  private static String cluster(int port, String seeds) {
    return "cluster:\n  name: it\n  bind: " + HazelcastMembers.HOST + "\n  port: " + port + "\n  members: " + seeds + "\n";
  }

  @AfterAll
  void stop() {
    List.of(node2, node3).parallelStream().forEach(Bastion::close);
    fixture.close();
  }

  private Bastion node1() {
    return fixture.bastion();
  }

  @Test
  void aBlockThroughNode1IsRefusedOnNode2() throws Exception {
    String id = "blocked-device";
    long start = System.nanoTime();
    HttpResponse<String> added = post(node1(), "/api/blocklist",
        "{\"client-id\": \"" + id + "\", \"reason\": \"stolen credentials\"}");
    long answered = System.nanoTime();
    assertThat(added.statusCode()).isEqualTo(201);
    while (node2.edge().blocklist().match(null, id, null, null) == null) {
      assertThat(System.nanoTime() - answered).as("block propagation").isLessThan(2_000_000_000L);
      Thread.onSpinWait();
    }
    long enforced = System.nanoTime();
    double afterAnswer = (enforced - answered) / 1e6;
    System.out.printf("block via node 1's admin API: answered after %.1f ms, in force on node 2 %.1f ms later%n",
        (answered - start) / 1e6, afterAnswer);
    assertThat(afterAnswer).isLessThan(1000);
    Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(node2.port(ProxyFixture.LISTENER)).buildBlocking();
    assertThatThrownBy(device::connect).hasMessageContaining("BANNED");
    await().atMost(Duration.ofSeconds(2)).until(() -> node1().cluster().events(100).stream()
        .anyMatch(e -> id.equals(e.clientId()) && e.node().equals(node2.nodeId())));
    assertThat(get(node1(), "/api/cluster/events").body()).contains(id).contains(node2.nodeId());
  }

  /**
   * Blocks added on node 1 one after another while 40 clients publish through the nodes: how
   * long until each is in force on nodes 2 and 3.
   */
  @Test
  void blockPropagationUnderLoad() throws Exception {
    List<com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient> load = new java.util.ArrayList<>();
    java.util.concurrent.ScheduledExecutorService publisher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      List<Bastion> nodes = List.of(node1(), node2, node3);
      for (int i = 0; i < 40; i++) {
        com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5()
            .identifier("load-" + i).serverHost("127.0.0.1")
            .serverPort(nodes.get(i % 3).port(ProxyFixture.LISTENER)).buildAsync();
        c.connect().join();
        load.add(c);
      }
      publisher.scheduleAtFixedRate(() -> load.forEach(c -> c.publishWith().topic("load/" + c.hashCode())
          .qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).payload(new byte[64]).send()),
          0, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
      int samples = 300;
      long[] micros = new long[samples];
      for (int i = 0; i < samples; i++) {
        String id = "burst-" + i;
        long start = System.nanoTime();
        node1().edge().blocklist().add(io.bastion.config.AccessEntryConfig.Kind.CLIENT_ID, id, "load", null, "api");
        while (node2.edge().blocklist().match(null, id, null, null) == null
            || node3.edge().blocklist().match(null, id, null, null) == null) {
          assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
          Thread.onSpinWait();
        }
        micros[i] = (System.nanoTime() - start) / 1000;
      }
      java.util.Arrays.sort(micros);
      System.out.printf("block on node 1 in force on nodes 2 and 3: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d blocks, 40 clients publishing 4,000 msg/s)%n",
          micros[samples / 2] / 1000.0, micros[(int) (samples * 0.99) - 1] / 1000.0, micros[samples - 1] / 1000.0, samples);
      ClusterView.Propagation seen = node2.cluster().view().blockPropagation();
      System.out.printf("node 2's own view: p50 %.2f ms, p99 %.2f ms over %d changes%n",
          seen.p50Millis(), seen.p99Millis(), seen.count());
      assertThat(micros[(int) (samples * 0.99) - 1]).isLessThan(500_000);
    } finally {
      publisher.shutdownNow();
      load.forEach(c -> c.disconnect().exceptionally(e -> null).join());
    }
  }

  @Test
  void aDrainThroughNode1AppliesOnNode2() throws Exception {
    HttpResponse<String> drained = post(node1(), "/api/pools/brokers/brokers/broker-2/drain", "{\"rate\": 100}");
    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(1)).until(() -> broker(node2, "broker-2").draining()
        && broker(node3, "broker-2").draining());
    assertThat(post(node2, "/api/pools/brokers/brokers/broker-2/undrain", "").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(1)).until(() -> !broker(node1(), "broker-2").draining()
        && !broker(node3, "broker-2").draining());
  }

  @Test
  void aDisableThroughNode1KeepsNewSessionsThroughNode2OffTheBrokerAndAWeightThroughNode2ShowsOnNode1()
      throws Exception {
    String id = firstWithHome(1, "disabled-");
    HttpResponse<String> disabled = post(node1(), "/api/pools/brokers/brokers/broker-2/disable", "");
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    try {
      await().atMost(Duration.ofSeconds(1)).until(() -> broker(node2, "broker-2").disabled());
      Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id)
          .serverHost("127.0.0.1").serverPort(node2.port(ProxyFixture.LISTENER)).buildBlocking();
      client.connect();
      try {
        await().atMost(Duration.ofSeconds(2)).until(() -> node2.sessions().sessions().stream()
            .anyMatch(s -> s.clientId().equals(id)));
        assertThat(node2.sessions().sessions()).filteredOn(s -> s.clientId().equals(id))
            .allMatch(s -> !s.broker().id().equals("broker-2"));
      } finally {
        client.disconnect();
      }
    } finally {
      assertThat(post(node1(), "/api/pools/brokers/brokers/broker-2/enable", "").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> weighted = send(node2, "PUT", "/api/pools/brokers/brokers/broker-3/weight", "{\"weight\": 9}");
    assertThat(weighted.statusCode()).as(weighted.body()).isEqualTo(200);
    try {
      await().atMost(Duration.ofSeconds(1)).until(() -> broker(node1(), "broker-3").weight() == 9
          && !broker(node1(), "broker-2").disabled());
      assertThat(get(node1(), "/api/brokers").body()).contains("\"id\":\"broker-3\"")
          .containsPattern("\"id\":\"broker-3\"[^}]*\"weight\":9");
    } finally {
      assertThat(send(node1(), "DELETE", "/api/pools/brokers/brokers/broker-3/weight", null).statusCode())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(1)).until(() -> broker(node2, "broker-3").weight() == 1);
    }
  }

  @Test
  void theSameClientIdThroughTwoNodesClosesTheOlderConnectionWithSessionTakenOver() throws Exception {
    // the first take-over after start loads classes on every member; time a later one
    takeOver(firstWithHome(0, "warm-up-"));
    double millis = takeOver(firstWithHome(0, "twice-"));
    // the 100 ms target is measured by the cluster bench; a loaded CI host only bounds it loosely
    assertThat(millis).isLessThanOrEqualTo(1000);
  }

  private double takeOver(String id) throws Exception {
    AtomicReference<Mqtt5DisconnectReasonCode> reason = new AtomicReference<>();
    AtomicLong closedAt = new AtomicLong();
    Mqtt5BlockingClient older = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port())
        .addDisconnectedListener(ctx -> {
          closedAt.set(System.nanoTime());
          if (ctx.getCause() instanceof Mqtt5DisconnectException d) {
            reason.set(d.getMqttMessage().getReasonCode());
          }
        }).buildBlocking();
    older.connect();
    await().atMost(Duration.ofSeconds(2)).until(() -> node2.cluster().locate(id).stream()
        .anyMatch(l -> l.node().equals(node1().nodeId())));
    Mqtt5BlockingClient newer = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(node3.port(ProxyFixture.LISTENER)).buildBlocking();
    newer.connect();
    long connackAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(2)).until(() -> reason.get() != null);
    double millis = Math.max(0, closedAt.get() - connackAt) / 1e6;
    System.out.printf("%s: older connection closed %.1f ms after the newer one's CONNACK%n", id, millis);
    assertThat(reason.get()).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
    assertThat(newer.getState().isConnected()).isTrue();
    HttpResponse<String> where = get(node2, "/api/cluster/clients/" + id);
    assertThat(where.body()).contains(node3.nodeId()).doesNotContain(node1().nodeId());
    newer.disconnect();
    await().atMost(Duration.ofSeconds(2)).until(() -> node2.cluster().locate(id).isEmpty());
    assertThat(get(node2, "/api/cluster/clients/" + id).statusCode()).isEqualTo(404);
    return millis;
  }

  @Test
  void everyNodeShowsTheMembersAndNode3sOtherConfiguration() throws Exception {
    HttpResponse<String> r = get(node2, "/api/cluster");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"mode\":\"clustered\"").contains(node1().nodeId())
        .contains(node3.nodeId()).contains("\"fingerprintMismatch\":true");
    await().atMost(Duration.ofSeconds(2)).until(() -> get(node1(), "/metrics").body()
        .contains("bastion_cluster_members 3.0"));
    assertThat(get(node1(), "/metrics").body()).contains("bastion_cluster_fingerprint_mismatch 1.0");
    // readiness is about brokers, not about the cluster
    assertThat(get(node3, "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aBrokerRegisteredThroughNode1IsKnownToEveryNodeWithItsLease() throws Exception {
    int port = fixture.broker(2).port();
    HttpResponse<String> put = send(node1(), "PUT", "/api/pools/brokers/brokers/announced",
        "{\"host\": \"127.0.0.1\", \"port\": " + port + ", \"lease\": 30, \"connections\": 7, \"capacity\": 100}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      for (Bastion n : List.of(node2, node3)) {
        io.bastion.backend.Broker b = broker(n, "announced");
        assertThat(b).isNotNull();
        assertThat(b.leaseExpires()).isAfter(Instant.now().plusSeconds(20));
        assertThat(b.reported().connections()).isEqualTo(7);
      }
    });
    HttpResponse<String> gone = send(node2, "DELETE", "/api/pools/brokers/brokers/announced", null);
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(5)).until(() -> List.of(node1(), node2, node3).stream()
        .allMatch(n -> broker(n, "announced") == null));
  }

  @Test
  void eventsOfNode3AreListedByNode1() throws Exception {
    node3.events().report(new SecurityEvent(Instant.now(), "refused", "test", "mqtt", "127.0.0.7",
        "ev-1", "seen cluster-wide"));
    await().atMost(Duration.ofSeconds(2)).until(() -> get(node1(), "/api/cluster/events?limit=50").body()
        .contains("seen cluster-wide"));
  }

  private String firstWithHome(int broker, String prefix) {
    for (int i = 0; ; i++) {
      if (fixture.homeOf(prefix + i) == broker) {
        return prefix + i;
      }
    }
  }

  private static io.bastion.backend.Broker broker(Bastion node, String id) {
    return node.backends().pool(ProxyFixture.POOL).broker(id);
  }

  private HttpResponse<String> get(Bastion node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(Bastion node, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .timeout(Duration.ofSeconds(5)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Bastion node, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

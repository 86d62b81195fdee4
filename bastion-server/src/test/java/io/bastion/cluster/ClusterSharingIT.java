package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.BastionNodes;
import io.bastion.testing.ClusterYaml;
import io.bastion.testing.ConnackTimer;
import io.bastion.testing.Latencies;
import io.bastion.testing.SequencedFleet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three clustered Bastion processes on 127.0.0.2–4 and a standalone one on 127.0.0.5, all in front
 * of the same three brokers: a block added on one node ends and refuses the client on the others, a
 * client id connected through two nodes keeps only its newer connection, and clustering costs
 * (almost) nothing on CONNECT→CONNACK. Each figure is logged with the prefix {@code CLUSTER}.
 */
class ClusterSharingIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSharingIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int BLOCK_SAMPLES = Integer.getInteger("bastion.cluster.block-samples", 30);
  private static final int TAKEOVER_SAMPLES = Integer.getInteger("bastion.cluster.takeover-samples", 30);
  private static final int CONNECTS = Integer.getInteger("bastion.cluster.connects", 1000);
  private static final int WARMUP = 3;
  private static final int LOAD_CLIENTS = Integer.getInteger("bastion.cluster.load-clients", 150);

  private static Path dir;
  private static final List<EmbeddedBroker> brokers = new ArrayList<>();
  private static BastionNodes cluster;
  private static BastionNodes standalone;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("cluster-sharing");
    for (int i = 1; i <= 3; i++) {
      brokers.add(EmbeddedBroker.start("broker-" + i, dir, 0));
    }
    List<String> hosts = BastionNodes.hosts(2, 3);
    int clusterPort = BastionNodes.freePortsOnAll(hosts, 1)[0];
    String name = "sharing-" + UUID.randomUUID().toString().substring(0, 8);
    cluster = BastionNodes.start(hosts, brokers, node -> ClusterYaml.of(name, hosts, clusterPort, node));
    standalone = BastionNodes.start(BastionNodes.hosts(5, 1), brokers, node -> "");
    await().atMost(Duration.ofSeconds(30)).until(() -> members(0) == 3 && members(1) == 3 && members(2) == 3);
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (standalone != null) {
      standalone.close();
    }
    CompletableFuture.allOf(brokers.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new))
        .exceptionally(e -> null).join();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static int members(int index) {
    return cluster.node(index).clusterMembers();
  }

  @Test
  void aBlockOnOneNodeEndsAndRefusesTheClientOnEveryOtherNode() throws Exception {
    List<Long> enforced = new ArrayList<>();
    try (SequencedFleet load = SequencedFleet.connect("load-" + UUID.randomUUID().toString().substring(0, 8),
        LOAD_CLIENTS, cluster.mqttAddresses(), SequencedFleet.Behaviour.DEFAULT)) {
      await().atMost(Duration.ofSeconds(60)).until(load::allConnected);
      load.startPublishing(2);
      for (int k = -WARMUP; k < BLOCK_SAMPLES; k++) {
        String user = "blocked-" + UUID.randomUUID().toString().substring(0, 8);
        Watched onNode2 = Watched.connect(cluster.mqttAddresses().get(1), user + "-2", user);
        Watched onNode3 = Watched.connect(cluster.mqttAddresses().get(2), user + "-3", user);
        long t0 = System.nanoTime();
        HttpResponse<String> added = cluster.node(0).admin("POST", "/api/blocklist",
            "{\"username\": \"" + user + "\", \"reason\": \"fault test\", \"ttl\": \"10m\"}");
        assertThat(added.statusCode()).as(added.body()).isBetween(200, 201);
        long on2 = onNode2.awaitDisconnected(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION) - t0;
        long on3 = onNode3.awaitDisconnected(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION) - t0;
        if (k >= 0) {
          enforced.add(on2);
          enforced.add(on3);
        }
        if (k == 0) {
          for (InetSocketAddress node : cluster.mqttAddresses()) {
            assertThatThrownBy(() -> Watched.connect(node, user + "-again", user))
                .hasRootCauseInstanceOf(Mqtt5ConnAckException.class)
                .satisfies(e -> assertThat(((Mqtt5ConnAckException) rootCause(e)).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BANNED));
          }
        }
      }
    }
    Latencies figures = Latencies.of(enforced);
    LOG.info("CLUSTER block via node 1's admin API until DISCONNECT 0x98 arrived at clients of nodes 2 and 3, "
        + "under load of {} publishing clients: {}; the nodes' own propagation figures: node 2 {}, node 3 {}",
        LOAD_CLIENTS, figures, propagation(1), propagation(2));
    // the target is 10 ms; the bounds leave room for a loaded build machine
    assertThat(figures.p50Millis()).isLessThanOrEqualTo(100);
    assertThat(figures.p99Millis()).isLessThanOrEqualTo(1000);
  }

  @Test
  void aClientIdConnectedThroughTwoNodesKeepsOnlyItsNewerConnection() throws Exception {
    List<Long> closed = new ArrayList<>();
    for (int k = 0; k < TAKEOVER_SAMPLES; k++) {
      String id = "twice-" + UUID.randomUUID().toString().substring(0, 8);
      Watched older = Watched.connect(cluster.mqttAddresses().get(k % 3), id, null);
      long t0 = System.nanoTime();
      Watched newer = Watched.connect(cluster.mqttAddresses().get((k + 1) % 3), id, null);
      closed.add(older.awaitDisconnected(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER) - t0);
      assertThat(newer.client.getState().isConnected()).isTrue();
      newer.client.disconnect().join();
    }
    Latencies figures = Latencies.of(closed);
    LOG.info("CLUSTER one client id through two nodes: from the newer's CONNECT until the older received "
        + "DISCONNECT 0x8E: {}", figures);
    // the target is 100 ms; the maximum leaves room for a loaded build machine
    assertThat(figures.p50Millis()).isLessThanOrEqualTo(100);
    assertThat(figures.maxNanos()).isLessThanOrEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void clusteringAddsAlmostNothingToConnectConnack() throws Exception {
    InetSocketAddress clustered = cluster.mqttAddresses().get(0);
    InetSocketAddress alone = standalone.mqttAddresses().get(0);
    InetSocketAddress direct = new InetSocketAddress(brokers.get(0).host(), brokers.get(0).port());
    List<long[]> times = ConnackTimer.interleaved(List.of(clustered, alone, direct),
        "connack-" + UUID.randomUUID().toString().substring(0, 8), CONNECTS / 4, CONNECTS);
    Latencies c = Latencies.of(times.get(0));
    Latencies s = Latencies.of(times.get(1));
    Latencies d = Latencies.of(times.get(2));
    long p50DiffMicros = (c.p50Nanos() - s.p50Nanos()) / 1000;
    long pairedMedianMicros = pairedMedianDifference(times.get(0), times.get(1)) / 1000;
    LOG.info("CLUSTER CONNECT->CONNACK, {} sequential connects each, interleaved: clustered node {}; standalone "
        + "node {}; broker direct {}; clustered - standalone: difference of p50 {} us, median of paired "
        + "differences {} us", CONNECTS, c, s, d, p50DiffMicros, pairedMedianMicros);
    // the target is 10 µs, far below what a busy two-core machine can resolve (its noise reached
    // 0.6 ms); this bound still fails when a cluster round trip waits on the CONNECT path
    assertThat(pairedMedianMicros).isLessThanOrEqualTo(2000);
  }

  /** Median of a[i] - b[i]: rounds measured back to back share the machine's slow and fast phases. */
  private static long pairedMedianDifference(long[] a, long[] b) {
    long[] d = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    java.util.Arrays.sort(d);
    return d[d.length / 2];
  }

  /** The node's own figures of blocks arriving from other nodes (GET /api/cluster). */
  private static String propagation(int index) throws IOException, InterruptedException {
    HttpResponse<String> r = cluster.node(index).admin("GET", "/api/cluster", null);
    return JSON.readTree(r.body()).path("blockPropagation").toString();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** An MQTT 5 client whose end the test waits for, with the reason the server gave. */
  private static final class Watched {
    private final Mqtt5AsyncClient client;
    private final CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
    private volatile long disconnectedAt;
    private long connectedAt;

    private Watched(Mqtt5AsyncClient client) {
      this.client = client;
    }

    static Watched connect(InetSocketAddress node, String clientId, String username) {
      Watched[] self = new Watched[1];
      var builder = MqttClient.builder().useMqttVersion5().identifier(clientId).serverAddress(node)
          .addDisconnectedListener(ctx -> {
            if (ctx.getSource() == MqttDisconnectSource.SERVER && ctx.getCause() instanceof Mqtt5DisconnectException d) {
              self[0].disconnectedAt = System.nanoTime();
              self[0].disconnected.complete(d.getMqttMessage().getReasonCode());
            } else {
              self[0].disconnected.completeExceptionally(ctx.getCause());
            }
          });
      if (username != null) {
        builder = builder.simpleAuth().username(username).applySimpleAuth();
      }
      self[0] = new Watched(builder.buildAsync());
      self[0].client.connect().orTimeout(10, TimeUnit.SECONDS).join();
      self[0].connectedAt = System.nanoTime();
      return self[0];
    }

    /** The time (nanoTime) the server's DISCONNECT arrived; fails on another reason. */
    long awaitDisconnected(Mqtt5DisconnectReasonCode expected) {
      assertThat(disconnected.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(expected);
      return disconnectedAt;
    }
  }
}

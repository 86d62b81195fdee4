package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.BastionNodes;
import io.bastion.testing.ClusterYaml;
import io.bastion.testing.DeliveryLedger;
import io.bastion.testing.Latencies;
import io.bastion.testing.SequencedFleet;
import io.bastion.testing.SequencedFleet.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three clustered Bastion processes on 127.0.0.2–4 in front of three real brokers, with devices that
 * publish numbered QoS 1 messages through whichever node they resolve: a node is killed, another
 * hangs, all three restart in turn, one is cut off from the cluster and merges back. No acknowledged
 * or queued QoS 1 message may be lost, every device must come back to the broker that holds its
 * session and find the session there. Each figure is logged with the prefix {@code FAULT}.
 *
 * <p>{@code -Dbastion.fault.clients=1000} runs the same with more devices (default 200).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultIT.class);

  private static final int CLIENTS = Integer.getInteger("bastion.fault.clients", 200);
  private static final double RATE = Double.parseDouble(System.getProperty("bastion.fault.rate", "2"));
  /** The target is 3 s; the bound asserted leaves room for a loaded build machine. */
  private static final Duration RECONNECT_P99_BOUND = Duration.ofSeconds(6);
  private static final Duration RECOVERY = Duration.ofSeconds(60);
  /** The ledger's subscribers must never fall so far behind that a broker drops messages for them. */
  private static final long LEDGER_QUEUE = 1_000_000;

  private static Path dir;
  private static final List<EmbeddedBroker> brokers = new ArrayList<>();
  private static BastionNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("cluster-fault");
    for (int i = 1; i <= 3; i++) {
      brokers.add(EmbeddedBroker.start("broker-" + i, dir, 0, "", LEDGER_QUEUE));
    }
    List<String> hosts = BastionNodes.hosts(2, 3);
    int clusterPort = BastionNodes.freePortsOnAll(hosts, 1)[0];
    String name = "fault-" + UUID.randomUUID().toString().substring(0, 8);
    nodes = BastionNodes.start(hosts, brokers, node -> ClusterYaml.of(name, hosts, clusterPort, node));
    awaitMembers(3, Duration.ofSeconds(30));
  }

  /** Every running node sees {@code count} members. */
  private static void awaitMembers(int count, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.node(i).isAlive() && !nodes.node(i).isPaused() && nodes.node(i).clusterMembers() != count) {
          return false;
        }
      }
      return true;
    });
  }

  @AfterAll
  static void stop() throws IOException {
    if (nodes != null) {
      nodes.close();
    }
    CompletableFuture.allOf(brokers.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new))
        .exceptionally(e -> null).join();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void allNodesRunning() throws Exception {
    nodes.ensureAllRunning();
    awaitMembers(3, Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void killMinus9OfANodeLosesNoMessageAndItsClientsReturnToTheirBrokers() throws Exception {
    try (Run run = new Run("kill")) {
      long t0 = System.nanoTime();
      List<Device> affected = run.fleet.connectedThrough(0, t0);
      nodes.kill(0);
      Latencies reconnect = run.awaitReconnected(affected, t0);
      run.publishAfterRecovery();
      Outcome outcome = run.finish();
      LOG.info("FAULT kill -9 of node 1: {} of {} clients affected, reconnect {}; {}",
          affected.size(), CLIENTS, reconnect, outcome);
      assertThat(affected).isNotEmpty();
      run.assertNothingLostAndEveryoneHome(outcome);
      assertThat(reconnect.p99Nanos()).as("reconnect p99 after kill -9").isLessThanOrEqualTo(RECONNECT_P99_BOUND.toNanos());
    }
  }

  @Test
  @Order(2)
  void aHungNodeLosesNoMessageAndItsClientsMoveOnUntilItResumes() throws Exception {
    try (Run run = new Run("stop")) {
      long t0 = System.nanoTime();
      List<Device> affected = run.fleet.connectedThrough(1, t0);
      nodes.node(1).pause();
      Latencies moved = run.awaitReconnected(affected, t0);
      nodes.node(1).resume();
      await().atMost(Duration.ofSeconds(20)).until(nodes.node(1)::ready);
      run.publishAfterRecovery();
      Outcome outcome = run.finish();
      LOG.info("FAULT SIGSTOP of node 2: {} of {} clients affected, detected by keep-alive and reconnected {}; {}",
          affected.size(), CLIENTS, moved, outcome);
      assertThat(affected).isNotEmpty();
      run.assertNothingLostAndEveryoneHome(outcome);
    }
  }

  @Test
  @Order(3)
  void aRollingRestartOfAllNodesLosesNoMessage() throws Exception {
    try (Run run = new Run("rolling")) {
      List<Long> times = new ArrayList<>();
      int moved = 0;
      for (int i = 0; i < nodes.size(); i++) {
        long t = System.nanoTime();
        List<Device> affected = run.fleet.connectedThrough(i, t);
        moved += affected.size();
        nodes.terminate(i);
        run.awaitReconnected(affected, t);
        times.addAll(SequencedFleet.reconnectTimes(affected, t));
        nodes.restart(i);
      }
      run.publishAfterRecovery();
      Outcome outcome = run.finish();
      Latencies reconnect = Latencies.of(times);
      LOG.info("FAULT rolling restart (SIGTERM, start) of 3 nodes: {} reconnections of {} clients, reconnect {}; {}",
          moved, CLIENTS, reconnect, outcome);
      assertThat(moved).isGreaterThanOrEqualTo(CLIENTS);
      run.assertNothingLostAndEveryoneHome(outcome);
    }
  }

  @Test
  @Order(4)
  void aNodeCutOffFromTheClusterMergesBackWithoutLosingAMessage() throws Exception {
    try (Run run = new Run("partition")) {
      long t0 = System.nanoTime();
      List<Device> affected = run.fleet.connectedThrough(2, t0);
      nodes.node(2).pause();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> nodes.node(0).clusterMembers() == 2 && nodes.node(1).clusterMembers() == 2);
      long dropped = System.nanoTime() - t0;
      run.awaitReconnected(affected, t0);
      long t1 = System.nanoTime();
      nodes.node(2).resume();
      awaitMembers(3, Duration.ofSeconds(60));
      long merged = System.nanoTime() - t1;
      run.publishAfterRecovery();
      Outcome outcome = run.finish();
      LOG.info("FAULT partition of node 3 (SIGSTOP until the others dropped it, then SIGCONT): dropped after {} ms, "
          + "merged back {} ms after SIGCONT; {} of {} clients moved; {}", dropped / 1_000_000, merged / 1_000_000,
          affected.size(), CLIENTS, outcome);
      run.assertNothingLostAndEveryoneHome(outcome);
    }
  }

  /** The index of the broker on which {@code clientId} is connected now, or -1. */
  private static int brokerHolding(String clientId) {
    for (int i = 0; i < brokers.size(); i++) {
      if (brokers.get(i).isConnected(clientId)) {
        return i;
      }
    }
    return -1;
  }

  /** What a scenario measured about its messages. */
  record Outcome(long published, long acknowledged, long failed, long lost, long duplicates,
      long reconnectsWithoutSession, long droppedByBrokers, long subscribersDisconnected) {

    @Override
    public String toString() {
      return String.format("%d QoS 1 messages published, %d acknowledged, %d failed, %d lost, %d duplicates, "
          + "%d reconnects without session (brokers dropped %d, %d subscribers disconnected)", published,
          acknowledged, failed, lost, duplicates, reconnectsWithoutSession, droppedByBrokers, subscribersDisconnected);
    }
  }

  private static long droppedByBrokers() {
    return brokers.stream().mapToLong(EmbeddedBroker::droppedMessages).sum();
  }

  /** A fleet publishing through the nodes, its ledger on the brokers, and each client's broker. */
  private static final class Run implements AutoCloseable {

    private final DeliveryLedger ledger;
    private final SequencedFleet fleet;
    private final Map<String, Integer> homes = new HashMap<>();
    private final long droppedBefore = droppedByBrokers();

    Run(String name) {
      String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
      ledger = DeliveryLedger.subscribe(brokers, prefix);
      fleet = SequencedFleet.connect(prefix, CLIENTS, nodes.mqttAddresses(), SequencedFleet.Behaviour.DEFAULT);
      try {
        await().atMost(RECOVERY).until(fleet::allConnected);
        fleet.startPublishing(RATE);
        await().atMost(RECOVERY).until(() -> fleet.devices().stream().allMatch(d -> d.acknowledged() >= 2));
        await().atMost(RECOVERY).until(() -> fleet.devices().stream().allMatch(d -> brokerHolding(d.id()) >= 0));
        fleet.devices().forEach(d -> homes.put(d.id(), brokerHolding(d.id())));
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    Latencies awaitReconnected(List<Device> affected, long sinceNanos) {
      await().atMost(RECOVERY).until(() -> SequencedFleet.allReconnectedAfter(affected, sinceNanos));
      return Latencies.of(SequencedFleet.reconnectTimes(affected, sinceNanos));
    }

    /** Every device connected again and had two more messages acknowledged. */
    void publishAfterRecovery() {
      await().atMost(RECOVERY).until(fleet::allConnected);
      Map<String, Long> before = new HashMap<>();
      fleet.devices().forEach(d -> before.put(d.id(), d.acknowledged()));
      await().atMost(RECOVERY).until(() ->
          fleet.devices().stream().allMatch(d -> d.acknowledged() >= before.get(d.id()) + 2));
    }

    /** Stops publishing, lets everything in flight arrive, and counts. */
    Outcome finish() throws InterruptedException {
      fleet.stopPublishing();
      await().atMost(RECOVERY).until(() -> fleet.inFlight() == 0);
      Map<String, Long> published = fleet.published();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.missing(published) == 0);
      } catch (ConditionTimeoutException e) {
        // reported as lost below
      }
      long total = published.values().stream().mapToLong(Long::longValue).sum();
      return new Outcome(total, fleet.acknowledged(), fleet.failed(), ledger.missing(published),
          ledger.duplicates(), fleet.reconnectsWithoutSession(), droppedByBrokers() - droppedBefore,
          ledger.subscribersDisconnected());
    }

    void assertNothingLostAndEveryoneHome(Outcome outcome) {
      assertThat(outcome.subscribersDisconnected()).as("subscribers of the ledger disconnected").isZero();
      assertThat(outcome.droppedByBrokers()).as("messages the brokers dropped (subscriber queues full)").isZero();
      assertThat(outcome.lost()).as("QoS 1 messages lost").isZero();
      assertThat(outcome.failed()).as("QoS 1 publishes failed").isZero();
      assertThat(outcome.reconnectsWithoutSession()).as("reconnects without session").isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        for (Device d : fleet.devices()) {
          assertThat(brokerHolding(d.id())).as("broker of %s", d.id()).isEqualTo(homes.get(d.id()));
        }
      });
      for (Device d : fleet.devices()) {
        int home = homes.get(d.id());
        for (int b = 0; b < brokers.size(); b++) {
          if (b != home) {
            assertThat(brokers.get(b).connectCount(d.id())).as("connects of %s to a foreign broker", d.id()).isZero();
          }
        }
      }
    }

    @Override
    public void close() {
      fleet.close();
      ledger.close();
    }
  }
}

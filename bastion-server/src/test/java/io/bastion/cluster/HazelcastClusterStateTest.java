package io.bastion.cluster;

import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The contract with three embedded members in one JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastClusterStateTest extends ClusterStateContract {

  private List<Member> members;

  @BeforeAll
  void start() {
    members = HazelcastMembers.start(3, "contract", Duration.ofSeconds(5));
  }

  @AfterAll
  void stop() {
    HazelcastMembers.stop(members);
  }

  @Override
  List<Member> members() {
    return members;
  }

  /**
   * A broker two of three nodes report down is avoided by every node, the third included, and
   * readmitted once the majority reports it up again. The reports are written as the other nodes'
   * health views would be.
   */
  @Test
  void aBrokerAMajorityReportsDownIsDownEverywhereUntilTheyReportItUp() {
    com.hazelcast.core.HazelcastInstance hz = ((HazelcastClusterState) members.get(0).state()).instance();
    com.hazelcast.map.IMap<String, String> health = hz.getMap(HazelcastConfigs.HEALTH);
    String n1 = members.get(0).node().nodeId();
    String n2 = members.get(1).node().nodeId();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> health.containsKey(n1 + "|p|b1") && health.containsKey(n2 + "|p|b1"));
    health.set(n1 + "|p|b1", "down 0");
    // one of three is no majority: b1 stays in use for as long as several health rounds take
    org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(600)).atMost(java.time.Duration.ofSeconds(3))
        .until(() -> members.stream().noneMatch(m -> m.node().broker("b1").downByPeers()));
    health.set(n2 + "|p|b1", "down 0");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() ->
        members.stream().allMatch(m -> m.node().broker("b1").downByPeers() && !m.node().broker("b1").available()));
    health.set(n1 + "|p|b1", "up 0");
    health.set(n2 + "|p|b1", "up 0");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() ->
        members.stream().allMatch(m -> !m.node().broker("b1").downByPeers() && m.node().broker("b1").available()));
    assertThat(members.get(2).state().view().sessionsPerBroker()).containsKeys("p/b1", "p/b2");
  }

  /** Bounded load is cluster-wide: a broker's load counts the sessions other nodes place on it. */
  @Test
  void aBrokersLoadCountsTheSessionsOfTheOtherNodes() {
    com.hazelcast.core.HazelcastInstance hz = ((HazelcastClusterState) members.get(0).state()).instance();
    com.hazelcast.map.IMap<String, String> health = hz.getMap(HazelcastConfigs.HEALTH);
    String n1 = members.get(0).node().nodeId();
    String n2 = members.get(1).node().nodeId();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> health.containsKey(n1 + "|p|b2") && health.containsKey(n2 + "|p|b2"));
    health.set(n1 + "|p|b2", "up 40");
    health.set(n2 + "|p|b2", "up 25");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> members.get(2).node().broker("b2").load() == 65
            && members.get(0).node().broker("b2").load() == 25); // its own count is its own
    health.set(n1 + "|p|b2", "up 0");
    health.set(n2 + "|p|b2", "up 0");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> members.get(2).node().broker("b2").load() == 0);
  }

  /**
   * What a connected client id costs the cluster: its ownership entry with one backup, summed over
   * all members. 20,000 ids shaped like a fleet's.
   */
  @Test
  void aConnectedClientIdCostsTheClusterFewerThan500Bytes() {
    int ids = 20_000;
    com.hazelcast.core.HazelcastInstance hz = ((HazelcastClusterState) members.get(0).state()).instance();
    com.hazelcast.map.IMap<String, String> clients = hz.getMap(HazelcastConfigs.CLIENTS);
    java.util.Map<String, String> batch = new java.util.HashMap<>();
    for (int i = 0; i < ids; i++) {
      batch.put(String.format("fleet-7/device-%08d", i),
          new Ownership("3f2a9c1e", i, System.currentTimeMillis(), "brokers/broker-2").encode());
    }
    clients.putAll(batch);
    long bytes = members.stream().mapToLong(m -> ((HazelcastClusterState) m.state()).clientMemoryBytes()).sum();
    double perId = bytes / (double) ids;
    System.out.printf("shared client ownership: %.0f bytes per client id (entry and backup, all members)%n", perId);
    assertThat(perId).isLessThanOrEqualTo(500);
    clients.clear();
  }
}

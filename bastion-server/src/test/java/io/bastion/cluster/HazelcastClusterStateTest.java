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

package io.bastion.cluster;

import static org.awaitility.Awaitility.await;

import io.bastion.config.ClusterConfig;
import io.bastion.testing.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Embedded members on loopback, each with its own free port, all seeding each other. */
final class HazelcastMembers {

  /**
   * A loopback address of this test run's own: a cluster port picked free is then not taken by
   * another test process on the machine before the member binds it.
   */
  static final String HOST = "127.0." + (10 + new java.util.Random().nextInt(240)) + "."
      + (10 + new java.util.Random().nextInt(240));

  private HazelcastMembers() {}

  static List<ClusterStateContract.Member> start(int count, String clusterName, Duration mergeDelay) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(Ports.freePort());
    }
    List<String> seeds = ports.stream().map(p -> HOST + ":" + p).toList();
    List<ClusterStateContract.Member> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(start("n" + (i + 1), config(clusterName, ports.get(i), seeds, mergeDelay), "f1"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> members.stream()
        .allMatch(m -> m.state().view().members().size() == count
            && m.state().view().members().stream().allMatch(x -> x.node() != null)));
    return members;
  }

  static ClusterConfig config(String name, int port, List<String> seeds, Duration mergeDelay) {
    return new ClusterConfig(true, name, HOST, port, seeds, null, false, List.of(), false, 0,
        Duration.ofSeconds(1), Duration.ofSeconds(5), mergeDelay, null);
  }

  static ClusterStateContract.Member start(String id, ClusterConfig config, String fingerprint) {
    TestNode node = new TestNode(id);
    HazelcastClusterState state = new HazelcastClusterState(config, fingerprint);
    state.start(node);
    return new ClusterStateContract.Member(node, state);
  }

  static void stop(List<ClusterStateContract.Member> members) {
    members.parallelStream().forEach(m -> {
      m.state().close();
      m.node().close();
    });
  }
}

package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.testing.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Members that must not or cannot join: each gets a clear message and keeps serving on its own. */
class HazelcastBadInputTest {

  private final List<ClusterStateContract.Member> started = new ArrayList<>();

  @AfterEach
  void stop() {
    HazelcastMembers.stop(started);
  }

  private ClusterStateContract.Member start(String id, String name, int port, List<String> seeds, String fingerprint) {
    ClusterStateContract.Member m = HazelcastMembers.start(id,
        HazelcastMembers.config(name, port, seeds, Duration.ofSeconds(5)), fingerprint);
    started.add(m);
    return m;
  }

  @Test
  void aMemberWithAnotherClusterNameStaysOutAndBothSidesSayWhy() {
    int p1 = Ports.freePort();
    int p2 = Ports.freePort();
    List<String> seeds = List.of(HazelcastMembers.HOST + ":" + p1, HazelcastMembers.HOST + ":" + p2);
    ClusterStateContract.Member alpha = start("alpha", "alpha", p1, seeds, "f1");
    ClusterStateContract.Member beta = start("beta", "beta", p2, seeds, "f1");
    await().atMost(Duration.ofSeconds(15)).until(() ->
        alpha.state().view().mode().equals("clustered") && beta.state().view().mode().equals("clustered"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      for (ClusterStateContract.Member m : started) {
        assertThat(m.state().liveNodes()).isEqualTo(1);
        assertThat(m.state().view().problems()).anyMatch(p -> p.contains("no other member has joined")
            && p.contains("cluster.name '" + m.node().nodeId() + "'"));
      }
    });
    // still serving on its own: blocks apply locally
    beta.node().blocklist.add(Kind.CLIENT_ID, "x", "local", null, "api");
    assertThat(beta.node().blocklist.match(null, "x", null, null)).isNotNull();
    assertThat(alpha.node().blocklist.match(null, "x", null, null)).isNull();
  }

  @Test
  void aFingerprintMismatchIsReportedByEveryMember() {
    int p1 = Ports.freePort();
    int p2 = Ports.freePort();
    List<String> seeds = List.of(HazelcastMembers.HOST + ":" + p1, HazelcastMembers.HOST + ":" + p2);
    ClusterStateContract.Member one = start("one", "fp", p1, seeds, "aaaa");
    ClusterStateContract.Member two = start("two", "fp", p2, seeds, "bbbb");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        one.state().view().fingerprintMismatch() && two.state().view().fingerprintMismatch());
    assertThat(one.state().view().members()).extracting(ClusterView.Member::fingerprint)
        .containsExactlyInAnyOrder("aaaa", "bbbb");
    two.state().fingerprint("aaaa"); // after a reload with the same pools and rules
    await().atMost(Duration.ofSeconds(5)).until(() ->
        !one.state().view().fingerprintMismatch() && !two.state().view().fingerprintMismatch());
  }

  @Test
  void unreachableSeedsLeaveTheNodeServingAloneWithAClearMessage() {
    int self = Ports.freePort();
    int nobody = Ports.freePort();
    ClusterStateContract.Member m = start("lonely", "lonely", self,
        List.of(HazelcastMembers.HOST + ":" + self, HazelcastMembers.HOST + ":" + nobody), "f1");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(m.state().view().problems()).anyMatch(p -> p.contains("no other member has joined")
            && p.contains(HazelcastMembers.HOST + ":" + nobody)));
    assertThat(m.state().view().mode()).isEqualTo("clustered");
    // a drain needs 2 of the 2 configured members: refused with the reason, never applied halfway
    assertThatThrownBy(() -> m.state().drain(m.node().broker("b1"), true, 10))
        .isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("1 of the cluster's members");
    assertThat(m.node().broker("b1").draining()).isFalse();
    assertThatThrownBy(() -> m.state().configure(m.node().broker("b1"), true, 5))
        .isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("1 of the cluster's members");
    assertThat(m.node().broker("b1").disabled()).isFalse();
    assertThat(m.node().broker("b1").adminWeight()).isZero();
    m.node().blocklist.add(Kind.CLIENT_ID, "y", "local", null, "api");
    assertThat(m.node().blocklist.match(null, "y", null, null)).isNotNull();
  }

  @Test
  void aMemberFromAnUntrustedAddressIsRemovedAndReported() {
    int p1 = Ports.freePort();
    int p2 = Ports.freePort();
    String other = HazelcastMembers.HOST.equals("127.0.0.5") ? "127.0.0.6" : "127.0.0.5";
    List<String> seeds = List.of(HazelcastMembers.HOST + ":" + p1, other + ":" + p2);
    io.bastion.config.ClusterConfig strict = new io.bastion.config.ClusterConfig(true, "trust",
        HazelcastMembers.HOST, p1, seeds, null, false, List.of(HazelcastMembers.HOST + "/32"), false, 0, Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(5), null);
    ClusterStateContract.Member guard = HazelcastMembers.start("guard", strict, "f1");
    started.add(guard);
    await().atMost(Duration.ofSeconds(15)).until(() -> guard.state().view().mode().equals("clustered"));
    ClusterStateContract.Member intruder = HazelcastMembers.start("intruder",
        new io.bastion.config.ClusterConfig(true, "trust", other, p2, seeds, null, false,
            List.of(), false, 0, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), null),
        "f1");
    started.add(intruder);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(guard.state().view().problems())
        .anyMatch(p -> p.contains(other + ":" + p2) && p.contains("not a trusted address")));
    await().atMost(Duration.ofSeconds(10)).until(() -> guard.state().liveNodes() == 1);
    // what the intruder blocks does not reach the guard's node
    intruder.node().blocklist.add(Kind.CLIENT_ID, "from-intruder", "x", null, "api");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> guard.node().blocklist.match(null, "from-intruder", null, null) == null);
  }

  @Test
  void aClusterPortInUseIsReportedAndTheNodeRunsStandalone() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(HazelcastMembers.HOST), 0));
      int port = taken.getLocalPort();
      ClusterStateContract.Member m = start("busy", "busy", port, List.of(), "f1");
      await().atMost(Duration.ofSeconds(15)).until(() -> m.state().view().mode().equals("standalone"));
      assertThat(m.state().view().problems()).anyMatch(p -> p.contains("cannot start the cluster member on " + HazelcastMembers.HOST + ":" + port));
      assertThat(m.state().liveNodes()).isEqualTo(1);
    }
  }
}

package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.security.SecurityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every ClusterState promises, standalone (one node) or clustered (three members). */
abstract class ClusterStateContract {

  /** A node's structures and the state that shares them. */
  record Member(TestNode node, ClusterState state) {}

  /** Started members that see each other. */
  abstract List<Member> members();

  private Member first() {
    return members().get(0);
  }

  private Member last() {
    return members().get(members().size() - 1);
  }

  @Test
  void aBlockOnAnyNodeIsInForceOnEveryNode() {
    String id = "blocked-" + UUID.randomUUID();
    last().node().blocklist.add(Kind.CLIENT_ID, id, "abuse", null, "api");
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      for (Member m : members()) {
        assertThat(m.node().blocklist.match(null, id, null, null)).isNotNull()
            .extracting(e -> e.reason()).isEqualTo("abuse");
      }
    });
  }

  @Test
  void aRemovalOnAnyNodeEndsTheBlockEverywhere() {
    String net = "10.9." + (int) (Math.random() * 200) + ".0/24";
    first().node().blocklist.add(Kind.IP, net, "scan", null, "api");
    await().atMost(Duration.ofSeconds(2)).until(() ->
        members().stream().allMatch(m -> m.node().blocklist.list().stream().anyMatch(e -> e.value().equals(net))));
    last().node().blocklist.remove(Kind.IP, net);
    await().atMost(Duration.ofSeconds(2)).until(() ->
        members().stream().noneMatch(m -> m.node().blocklist.list().stream().anyMatch(e -> e.value().equals(net))));
  }

  @Test
  void aDrainOnAnyNodeAppliesOnEveryNode() {
    last().state().drain(last().node().broker("b2"), true, 100);
    await().atMost(Duration.ofSeconds(2)).until(() ->
        members().stream().allMatch(m -> m.node().broker("b2").draining()));
    first().state().drain(first().node().broker("b2"), false, 100);
    await().atMost(Duration.ofSeconds(2)).until(() ->
        members().stream().noneMatch(m -> m.node().broker("b2").draining()));
  }

  @Test
  void aDisableOnAnyNodeAppliesOnEveryNode() {
    last().state().configure(last().node().broker("b1"), true, 0);
    await().atMost(Duration.ofSeconds(2)).until(() -> members().stream()
        .allMatch(m -> m.node().broker("b1").disabled() && !m.node().broker("b1").available()));
    first().state().configure(first().node().broker("b1"), false, 0);
    await().atMost(Duration.ofSeconds(2)).until(() -> members().stream()
        .allMatch(m -> !m.node().broker("b1").disabled() && m.node().broker("b1").available()));
  }

  @Test
  void aWeightSetOnAnyNodeOverridesTheConfiguredOneOnEveryNodeUntilReset() {
    int configured = first().node().broker("b1").configuredWeight();
    first().state().configure(first().node().broker("b1"), false, configured + 6);
    await().atMost(Duration.ofSeconds(2)).until(() -> members().stream()
        .allMatch(m -> m.node().broker("b1").weight() == configured + 6));
    last().state().configure(last().node().broker("b1"), false, 0);
    await().atMost(Duration.ofSeconds(2)).until(() -> members().stream()
        .allMatch(m -> m.node().broker("b1").weight() == configured));
  }

  @Test
  void securityEventsOfEveryNodeAreSeenFromEveryNode() {
    String detail = "probe " + UUID.randomUUID();
    last().node().events.report(new SecurityEvent(Instant.now(), "refused", "bad-password", "mqtt",
        "127.0.0.9", "dev-1", detail));
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      for (Member m : members()) {
        assertThat(m.state().events(50)).anyMatch(e -> e.detail().equals(detail)
            && e.node().equals(last().node().nodeId()));
      }
    });
  }

  @Test
  void everyNodeSeesEveryMemberWithTheSameFingerprint() {
    for (Member m : members()) {
      ClusterView v = m.state().view();
      assertThat(v.members()).hasSize(members().size());
      assertThat(v.fingerprintMismatch()).isFalse();
      assertThat(v.writable()).isTrue();
      assertThat(v.members()).filteredOn(ClusterView.Member::self).singleElement()
          .extracting(ClusterView.Member::node).isEqualTo(m.node().nodeId());
      assertThat(m.state().liveNodes()).isEqualTo(members().size());
      assertThat(m.node().liveNodes).isEqualTo(members().size());
    }
  }
}

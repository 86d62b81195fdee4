package io.bastion.detect;

import static io.bastion.config.DetectorCatalog.BRUTE_FORCE_DISTRIBUTED;
import static io.bastion.config.DetectorCatalog.BRUTE_FORCE_IP;
import static io.bastion.config.DetectorCatalog.BRUTE_FORCE_USER;
import static io.bastion.config.DetectorCatalog.CLIENT_ID_CHURN;
import static io.bastion.config.DetectorCatalog.CONNECT_FLOOD;
import static io.bastion.config.DetectorCatalog.MALFORMED;
import static io.bastion.config.DetectorCatalog.PUBLISH_FLOOD;
import static io.bastion.config.DetectorCatalog.SLOWITE;
import static io.bastion.config.DetectorCatalog.SLOWLORIS;
import static io.bastion.config.DetectorCatalog.SLOW_SUBSCRIBER;
import static io.bastion.config.DetectorCatalog.TAKEOVER_PING_PONG;
import static io.bastion.config.DetectorCatalog.TOPIC_ENUMERATION;
import static io.bastion.config.DetectorCatalog.WILDCARD_SCAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.DetectionMode;
import io.bastion.config.DetectorAction;
import io.bastion.config.DetectorConfig;
import io.bastion.detect.Detection.Action;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Each rule trips just above its threshold, not at it, and names the target and the numbers. */
class RulesTest {

  private static Harness with(DetectorConfig rule) {
    return new Harness(Harness.config(Map.of(rule.name(), rule)));
  }

  private static Harness with(DetectorConfig first, DetectorConfig second) {
    return new Harness(Harness.config(Map.of(first.name(), first, second.name(), second)));
  }

  private static void connects(Harness h, String ip, int n, String idPrefix) {
    for (int i = 0; i < n; i++) {
      IpCounters a = h.engine.opened(Harness.addr(ip));
      h.engine.connected(a, idPrefix + i, null);
    }
  }

  @Test
  void connectFloodBlocksTheAddress() {
    try (Harness h = with(Harness.rule(CONNECT_FLOOD, "block", "max-connects", 20))) {
      connects(h, "127.0.0.9", 20, "same");
      h.tick();
      assertThat(h.detections(CONNECT_FLOOD)).isEmpty();
      connects(h, "127.0.0.9", 1, "same");
      h.tick();
      DetectionRecord r = h.detections(CONNECT_FLOOD).get(0);
      assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9");
      assertThat(r.detection().clientId()).isNull();
      assertThat(r.detection().because().get(0)).contains("21 new connections").contains("limit 20");
      assertThat(r.action()).isEqualTo("block");
      assertThat(h.blocklist.match(Harness.addr("127.0.0.9").getAddress(), null, null, null)).isNotNull();
      assertThat(h.blocklist.match(Harness.addr("127.0.0.10").getAddress(), null, null, null)).isNull();
    }
  }

  @Test
  void connectFloodCountsTheLastWindowAcrossItsBoundary() {
    try (Harness h = with(Harness.rule(CONNECT_FLOOD, "block", "max-connects", 20))) {
      h.ticks(9);
      connects(h, "127.0.0.9", 15, "a");
      h.tick(); // the window closes with 15
      connects(h, "127.0.0.9", 10, "b");
      h.tick(); // 10 now + 15 × 0.9 of the last window still overlapping
      assertThat(h.detections(CONNECT_FLOOD)).hasSize(1);
    }
  }

  @Test
  void aFleetBehindOneAddressReconnectingAfterAFailoverIsNoFloodButNewIdsAre() {
    try (Harness h = with(Harness.rule(CONNECT_FLOOD, "block", "max-connects", 20),
        Harness.rule(CLIENT_ID_CHURN, "block", "max-client-ids", 30))) {
      List<Harness.Client> fleet = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        fleet.add(h.connect("nat-" + i, "127.0.0.9"));
        h.tick(); // the fleet came up slowly, under the limits
      }
      h.ticks(20); // their sessions lasted across window closes: established devices
      assertThat(h.detections()).isEmpty();
      fleet.forEach(Harness.Client::close);
      h.tick();
      for (int i = 0; i < 40; i++) {
        h.connect("nat-" + i, "127.0.0.9"); // a broker failed: everyone is back within a second
      }
      h.tick();
      assertThat(h.detections(CONNECT_FLOOD)).isEmpty();
      assertThat(h.detections(CLIENT_ID_CHURN)).isEmpty();
      connects(h, "127.0.0.9", 40, "stranger-");
      h.tick();
      assertThat(h.detections(CONNECT_FLOOD)).isNotEmpty();
      assertThat(h.detections(CLIENT_ID_CHURN)).isNotEmpty();
    }
  }

  @Test
  void clientIdChurnBlocksTheAddress() {
    try (Harness h = with(Harness.rule(CLIENT_ID_CHURN, "block", "max-client-ids", 30))) {
      connects(h, "127.0.0.9", 25, "id-");
      connects(h, "127.0.0.8", 25, "same"); // the same id over and over is not churn
      h.tick();
      assertThat(h.detections(CLIENT_ID_CHURN)).isEmpty();
      connects(h, "127.0.0.9", 20, "more-");
      h.tick();
      assertThat(h.detections(CLIENT_ID_CHURN)).singleElement()
          .satisfies(r -> assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9"));
    }
  }

  @Test
  void publishFloodByRateAndByBytes() {
    try (Harness h = with(Harness.rule(PUBLISH_FLOOD, "throttle", "max-messages-per-second", 50,
        "max-bytes-per-second", 10_000))) {
      Harness.Client fast = h.connect("fast", "127.0.0.2");
      Harness.Client big = h.connect("big", "127.0.0.3");
      Harness.Client calm = h.connect("calm", "127.0.0.4");
      h.tick();
      for (int i = 0; i < 60; i++) {
        fast.in(Packets.publish("t", 0, false, 1, false));
      }
      big.in(Packets.publish("t", 0, false, 20_000, false));
      for (int i = 0; i < 50; i++) {
        calm.in(Packets.publish("t", 0, false, 1, false));
      }
      h.tick();
      assertThat(h.detections(PUBLISH_FLOOD)).extracting(r -> r.detection().clientId())
          .containsExactlyInAnyOrder("fast", "big");
      assertThat(fast.counters().restriction()).isEqualTo(ClientCounters.THROTTLED);
      assertThat(calm.counters().restriction()).isEqualTo(ClientCounters.FREE);
      assertThat(h.engine.responder().flagged("fast")).isTrue();
      assertThat(h.engine.responder().flagged("calm")).isFalse();
    }
  }

  @Test
  void bruteForceFromOneAddress() {
    try (Harness h = with(Harness.rule(BRUTE_FORCE_IP, "block", "max-failures", 5))) {
      IpCounters a = h.engine.opened(Harness.addr("127.0.0.9"));
      for (int i = 0; i < 6; i++) {
        h.engine.connected(a, "c", "user-" + i);
        h.engine.authFailed(a, "c", "user-" + i);
        a = h.engine.opened(Harness.addr("127.0.0.9"));
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_IP)).singleElement().satisfies(r -> {
        assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9");
        assertThat(r.detection().because()).anyMatch(b -> b.contains("about 6 distinct usernames"));
      });
    }
  }

  @Test
  void bruteForceAgainstOneUsernameLocksItOut() {
    try (Harness h = with(Harness.rule(BRUTE_FORCE_USER, "block", "max-failures", 5))) {
      for (int i = 0; i < 6; i++) {
        h.engine.authFailed(h.engine.opened(Harness.addr("127.0.0." + (20 + i % 2))), "c", "root");
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_USER)).singleElement()
          .satisfies(r -> assertThat(r.detection().username()).isEqualTo("root"));
      assertThat(h.blocklist.list()).singleElement().satisfies(e -> {
        assertThat(e.kind()).isEqualTo(Kind.USERNAME);
        assertThat(e.value()).isEqualTo("root");
        assertThat(e.source()).isEqualTo("detect:" + BRUTE_FORCE_USER);
      });
    }
  }

  @Test
  void distributedBruteForceNeedsManyAddresses() {
    DetectorConfig rule = Harness.rule(BRUTE_FORCE_DISTRIBUTED, "block", "min-addresses", 5, "max-failures", 8);
    try (Harness h = with(rule)) {
      for (int i = 0; i < 10; i++) { // 10 failures from 2 addresses: not distributed
        h.engine.authFailed(h.engine.opened(Harness.addr("127.0.1." + (i % 2))), "c", "alice");
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_DISTRIBUTED)).isEmpty();
      for (int i = 0; i < 10; i++) { // one failure each from 10 addresses
        h.engine.authFailed(h.engine.opened(Harness.addr("127.0.2." + i)), "c", "bob");
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_DISTRIBUTED)).singleElement()
          .satisfies(r -> assertThat(r.detection().username()).isEqualTo("bob"));
    }
  }

  @Test
  void malformedPacketsFromOneAddress() {
    try (Harness h = with(Harness.rule(MALFORMED, "block", "max-malformed", 3))) {
      for (int i = 0; i < 3; i++) {
        h.engine.malformed(h.engine.opened(Harness.addr("127.0.0.9")), null);
      }
      h.tick();
      assertThat(h.detections(MALFORMED)).isEmpty();
      Harness.Client c = h.connect("c", "127.0.0.9");
      c.counters().malformed(); // one more from a session's relay
      h.tick();
      assertThat(h.detections(MALFORMED)).hasSize(1);
    }
  }

  @Test
  void slowiteCountsSilentSessionsWithHugeOrNoKeepalive() {
    DetectorConfig rule = Harness.rule(SLOWITE, "block", "max-keepalive", 600, "min-idle-seconds", 5,
        "max-sessions", 2);
    try (Harness h = with(rule)) {
      h.connect("a", "127.0.0.9", null, 4, 0);
      h.connect("b", "127.0.0.9", null, 4, 65_535);
      Harness.Client talker = h.connect("c", "127.0.0.9", null, 4, 65_535);
      h.connect("d", "127.0.0.9", null, 4, 60); // a normal keepalive is not suspect
      for (int i = 0; i < 6; i++) {
        talker.in(Packets.packet(0xC0, new byte[0]));
        h.tick();
      }
      assertThat(h.detections(SLOWITE)).isEmpty();
      h.connect("e", "127.0.0.9", null, 4, 0);
      h.ticks(6);
      assertThat(h.detections(SLOWITE)).singleElement()
          .satisfies(r -> assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9"));
    }
  }

  @Test
  void slowlorisHalfOpenConnectionsThatStayUp() {
    try (Harness h = with(Harness.rule(SLOWLORIS, "block", "max-half-open", 3, "min-wait-seconds", 0.3))) {
      for (int i = 0; i < 4; i++) {
        h.engine.opened(Harness.addr("127.0.0.9"));
      }
      IpCounters closed = h.engine.opened(Harness.addr("127.0.0.8"));
      h.engine.closedBeforeConnect(closed);
      h.tick();
      assertThat(h.detections(SLOWLORIS)).isEmpty(); // above the limit, but not for long yet
      Awaitility.await().pollDelay(Duration.ofMillis(350)).atMost(Duration.ofSeconds(3)).until(() -> {
        h.tick();
        return !h.detections(SLOWLORIS).isEmpty();
      });
      assertThat(h.detections(SLOWLORIS)).singleElement()
          .satisfies(r -> assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9"));
    }
  }

  @Test
  void aBurstOfConnectionsThatAllSendTheirConnectIsNoSlowloris() {
    try (Harness h = with(Harness.rule(SLOWLORIS, "block", "max-half-open", 3, "min-wait-seconds", 0.3))) {
      List<IpCounters> burst = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        burst.add(h.engine.opened(Harness.addr("127.0.0.9"))); // a fleet behind NAT reconnecting
      }
      h.tick();
      for (int i = 0; i < burst.size(); i++) {
        h.engine.connected(burst.get(i), "nat-" + i, null);
      }
      // past the wait, ticking all along: nothing is waiting any more, so nothing is found
      Awaitility.await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> {
        h.tick();
        return h.detections(SLOWLORIS).isEmpty();
      });
    }
  }

  @Test
  void slowlorisSessionLeavingAPacketIncomplete() {
    try (Harness h = with(Harness.rule(SLOWLORIS, "block", "max-stuck-seconds", 1))) {
      Harness.Client c = h.connect("trickle", "127.0.0.9");
      c.channel().writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, 0x20, 0, 1}));
      assertThat(c.decoder().incompleteBytes()).isEqualTo(4);
      Awaitility.await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3)).until(() -> {
        h.tick();
        return !h.detections(SLOWLORIS).isEmpty();
      });
      assertThat(h.detections(SLOWLORIS).get(0).detection().clientId()).isEqualTo("trickle");
      assertThat(h.detections(SLOWLORIS).get(0).detection().because().get(0)).contains("4 bytes");
    }
  }

  @Test
  void wildcardScanOutsideAllowedRoles() {
    DetectorConfig base = Harness.rule(WILDCARD_SCAN, "deny", "max-wildcard-filters", 3);
    DetectorConfig rule = new DetectorConfig(base.name(), true, base.mode(), base.action(), base.limits(),
        List.of("backend"));
    try (Harness h = with(rule)) {
      Harness.Client scanner = h.connect("scanner", "127.0.0.9", "mallory", 5, 60);
      Harness.Client consumer = h.connect("consumer", "127.0.0.8", "backend", 5, 60);
      Harness.Client app = h.connect("app", "127.0.0.7", "carol", 5, 60);
      scanner.in(Packets.subscribe(true, "$SYS/#"));
      consumer.in(Packets.subscribe(true, "#"));
      app.in(Packets.subscribe(true, "a/+", "b/+", "c/+"));
      h.tick();
      assertThat(h.detections(WILDCARD_SCAN)).singleElement().satisfies(r -> {
        assertThat(r.detection().clientId()).isEqualTo("scanner");
        assertThat(r.action()).isEqualTo("deny");
      });
      assertThat(scanner.counters().restriction()).isEqualTo(ClientCounters.DENIED);
      app.in(Packets.subscribe(true, "d/+"));
      h.tick();
      assertThat(h.detections(WILDCARD_SCAN)).hasSize(2);
    }
  }

  @Test
  void topicEnumerationByNewTopicsFiltersOrDenials() {
    DetectorConfig rule = Harness.rule(TOPIC_ENUMERATION, "deny", "max-new-topics", 10, "max-filters", 10,
        "max-acl-denials", 2);
    try (Harness h = with(rule)) {
      Harness.Client walker = h.connect("walker", "127.0.0.9");
      Harness.Client prober = h.connect("prober", "127.0.0.8");
      Harness.Client sensor = h.connect("sensor", "127.0.0.7");
      for (int i = 0; i < 11; i++) {
        walker.in(Packets.publish("x/" + i, 0, false, 1, false));
      }
      for (int i = 0; i < 100; i++) {
        sensor.in(Packets.publish("s/" + (i % 3), 0, false, 1, false));
      }
      prober.counters().aclDenied();
      prober.counters().aclDenied();
      prober.counters().aclDenied();
      h.tick();
      assertThat(h.detections(TOPIC_ENUMERATION)).extracting(r -> r.detection().clientId())
          .containsExactlyInAnyOrder("walker", "prober");
    }
  }

  @Test
  void takeoverPingPong() {
    try (Harness h = with(Harness.rule(TAKEOVER_PING_PONG, "block", "max-takeovers", 3))) {
      Harness.Client last = h.connect("twin", "127.0.0.2");
      for (int i = 0; i < 4; i++) {
        Harness.Client next = h.connect("twin", "127.0.0." + (3 + i % 2));
        last.close();
        last = next;
      }
      h.tick();
      DetectionRecord r = h.detections(TAKEOVER_PING_PONG).get(0);
      assertThat(r.detection().clientId()).isEqualTo("twin");
      assertThat(r.detection().score()).isEqualTo(4);
      assertThat(h.blocklist.match(null, "twin", null, null)).isNotNull();
      assertThat(last.channel().isOpen()).as("the session still open is ended").isFalse();
    }
  }

  @Test
  void slowSubscriberHoldingFlows() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block", "max-inflight", 5, "min-seconds", 3))) {
      Harness.Client slow = h.connect("slow", "127.0.0.9");
      Harness.Client quick = h.connect("quick", "127.0.0.8");
      slow.out(Packets.publish("t", 1, false, 1, false));
      slow.in(Packets.ack(4, 1)); // it completed one once, so it is slow, not stuck
      for (int i = 0; i < 6; i++) {
        slow.out(Packets.publish("t", 2, false, 1, false));
        quick.out(Packets.publish("t", 2, false, 1, false));
      }
      h.tick();
      for (int i = 0; i < 6; i++) {
        quick.in(Packets.ack(5, i));
        quick.in(Packets.ack(7, i));
      }
      h.ticks(2);
      assertThat(h.detections(SLOW_SUBSCRIBER)).isEmpty();
      h.ticks(2);
      assertThat(h.detections(SLOW_SUBSCRIBER)).singleElement()
          .satisfies(r -> assertThat(r.detection().clientId()).isEqualTo("slow"))
          .satisfies(r -> assertThat(r.detection().because().get(0)).contains("unacknowledged for 3 s"));
    }
  }

  @Test
  void aBusySubscriberThatKeepsCompletingIsNotSlow() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block", "max-inflight", 2, "min-seconds", 2))) {
      Harness.Client busy = h.connect("busy", "127.0.0.9");
      int acked = 0;
      for (int t = 0; t < 8; t++) {
        for (int i = 0; i < 5; i++) {
          busy.out(Packets.publish("t", 1, false, 1, false));
        }
        h.tick(); // sampled with 5 in flight every time
        for (int i = 0; i < 5; i++) {
          busy.in(Packets.ack(4, ++acked));
        }
        busy.out(Packets.publish("t", 1, false, 1, false));
        busy.out(Packets.publish("t", 1, false, 1, false));
        busy.in(Packets.ack(4, ++acked));
        busy.in(Packets.ack(4, ++acked));
      }
      assertThat(h.detections(SLOW_SUBSCRIBER)).isEmpty();
    }
  }

  @Test
  void anObservingRuleReportsButDoesNothing() {
    DetectorConfig base = Harness.rule(CONNECT_FLOOD, "block", "max-connects", 2);
    DetectorConfig observe = new DetectorConfig(base.name(), true, DetectionMode.OBSERVE, DetectorAction.BLOCK,
        base.limits(), List.of());
    try (Harness h = with(observe)) {
      connects(h, "127.0.0.9", 5, "x");
      h.tick();
      DetectionRecord r = h.detections(CONNECT_FLOOD).get(0);
      assertThat(r.detection().wanted()).isEqualTo(Action.OBSERVE);
      assertThat(r.action()).isEqualTo("observe");
      assertThat(h.blocklist.list()).isEmpty();
      assertThat(h.events.recent(10)).anyMatch(e -> e.kind().equals("detected")
          && e.reason().equals(CONNECT_FLOOD) && e.detail().contains("action=observe"));
    }
  }

  @Test
  void aDisabledRuleDoesNotRun() {
    DetectorConfig base = Harness.rule(CONNECT_FLOOD, "block", "max-connects", 2);
    DetectorConfig off = new DetectorConfig(base.name(), false, base.mode(), base.action(), base.limits(), List.of());
    try (Harness h = with(off)) {
      connects(h, "127.0.0.9", 5, "x");
      h.tick();
      assertThat(h.detections()).isEmpty();
      assertThat(h.engine.ruleNames()).doesNotContain(CONNECT_FLOOD);
    }
  }

  @Test
  void aTargetIsReportedOncePerWindow() {
    try (Harness h = with(Harness.rule(PUBLISH_FLOOD, "throttle", "max-messages-per-second", 5))) {
      Harness.Client c = h.connect("fast", "127.0.0.2");
      for (int t = 0; t < 5; t++) {
        for (int i = 0; i < 10; i++) {
          c.in(Packets.publish("t", 0, false, 1, false));
        }
        h.tick();
      }
      assertThat(h.detections(PUBLISH_FLOOD)).hasSize(1);
    }
  }
}

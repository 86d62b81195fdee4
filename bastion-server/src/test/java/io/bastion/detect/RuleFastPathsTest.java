package io.bastion.detect;

import static io.bastion.config.DetectorCatalog.CLIENT_ID_CHURN;
import static io.bastion.config.DetectorCatalog.CONNECT_FLOOD;
import static io.bastion.config.DetectorCatalog.PUBLISH_FLOOD;
import static io.bastion.config.DetectorCatalog.SLOWITE;
import static io.bastion.config.DetectorCatalog.SLOW_SUBSCRIBER;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.DetectionMode;
import io.bastion.config.DetectorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The paths that stop a blatant attacker within a second at the default durations: a SlowITe
 * burst, a stuck subscriber, a publish count past the per-second limit before the second ends, and
 * an address whose window count passes a limit waking the detection thread. Each trips just above
 * its bar, and the benign cases next to it do not.
 */
class RuleFastPathsTest {

  private static Harness with(DetectorConfig rule) {
    return new Harness(Harness.config(Map.of(rule.name(), rule)));
  }

  // --- SlowITe burst: suspect sessions that sent nothing after CONNECT, opened in the last window ---

  private static DetectorConfig slowite(int burst) {
    return Harness.rule(SLOWITE, "block", "burst-sessions", burst); // min-idle-seconds stays 300
  }

  private static void mute(Harness h, String prefix, String ip, int n, int keepAlive) {
    for (int i = 0; i < n; i++) {
      h.connect(prefix + i, ip, null, 5, keepAlive);
    }
  }

  @Test
  void aBurstOfMuteSessionsWithoutKeepaliveIsBlockedAtTheNextTick() {
    try (Harness h = with(slowite(5))) {
      mute(h, "z", "127.0.0.9", 5, 0);
      h.tick(250);
      assertThat(h.detections(SLOWITE)).as("at the bar").isEmpty();
      mute(h, "y", "127.0.0.9", 1, 65_535); // a huge keepalive is suspect too
      h.tick(250);
      assertThat(h.detections(SLOWITE)).singleElement().satisfies(r -> {
        assertThat(r.detection().remoteIp()).isEqualTo("127.0.0.9");
        assertThat(r.detection().because().get(0)).startsWith("6 sessions with keepalive 0 or above 3,600 s")
            .contains("sent nothing after CONNECT (limit 5)");
        assertThat(r.action()).isEqualTo("block");
      });
      assertThat(h.blocklist.match(Harness.addr("127.0.0.9").getAddress(), null, null, null)).isNotNull();
    }
  }

  @Test
  void sessionsThatSpokeHaveAKeepaliveOrComeFromOtherAddressesAreNoBurst() {
    try (Harness h = with(slowite(5))) {
      mute(h, "z", "127.0.0.9", 5, 0);
      mute(h, "normal", "127.0.0.9", 10, 60); // ordinary keepalive
      mute(h, "other", "127.0.0.8", 5, 0); // the same burst elsewhere adds nothing here
      for (int i = 0; i < 3; i++) {
        h.connect("talker" + i, "127.0.0.9", null, 5, 0).in(Packets.subscribe(true, "cmd/#"));
      }
      h.tick(250);
      h.ticks(5);
      assertThat(h.detections(SLOWITE)).isEmpty();
    }
  }

  @Test
  void muteSessionsOpenedBeforeTheLastWindowAreLeftToTheIdleBar() {
    try (Harness h = with(slowite(5))) {
      mute(h, "old", "127.0.0.9", 4, 0);
      h.ticks(10); // a whole window later
      mute(h, "new", "127.0.0.9", 4, 0);
      h.tick(250);
      assertThat(h.detections(SLOWITE)).as("4 in the last window, 8 in all").isEmpty();
      mute(h, "more", "127.0.0.9", 2, 0);
      h.tick(250);
      assertThat(h.detections(SLOWITE)).hasSize(1);
    }
  }

  @Test
  void theIdleBarStillCatchesASlowVariant() {
    try (Harness h = with(Harness.rule(SLOWITE, "block", "min-idle-seconds", 5, "max-sessions", 2))) {
      mute(h, "a", "127.0.0.9", 3, 0); // far below the burst bar of 100
      h.ticks(4);
      assertThat(h.detections(SLOWITE)).isEmpty();
      h.ticks(2);
      assertThat(h.detections(SLOWITE)).singleElement()
          .satisfies(r -> assertThat(r.detection().because().get(0)).startsWith("3 silent sessions"));
    }
  }

  // --- slow subscriber: stuck (never completed a delivery, silent with one outstanding) ---

  @Test
  void aSubscriberThatNeverAnswersItsFirstDeliveryIsStuckAfterStuckSeconds() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block"))) { // stuck-seconds 2, the default
      Harness.Client sloth = h.connect("sloth", "127.0.0.9");
      sloth.in(Packets.subscribe(true, "slow/#"));
      sloth.out(Packets.publish("slow/1", 2, false, 16, true));
      h.tick(250); // first seen outstanding: its silence starts here
      for (int i = 0; i < 7; i++) {
        h.tick(250);
      }
      assertThat(h.detections(SLOW_SUBSCRIBER)).as("silent 1.75 s").isEmpty();
      h.tick(250);
      assertThat(h.detections(SLOW_SUBSCRIBER)).singleElement().satisfies(r -> {
        assertThat(r.detection().clientId()).isEqualTo("sloth");
        assertThat(r.detection().because().get(0))
            .isEqualTo("1 QoS 1/2 deliveries outstanding, none ever completed, and nothing sent for 2 s (limit 2 s)");
      });
    }
  }

  @Test
  void aSubscriberOnASlowLinkAnswersWithinStuckSecondsAndIsLeftAlone() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block"))) {
      Harness.Client far = h.connect("far", "127.0.0.9");
      for (int i = 1; i <= 5; i++) {
        far.out(Packets.publish("t", 2, false, 16, true));
      }
      for (int i = 0; i < 7; i++) {
        h.tick(250);
      }
      far.in(Packets.ack(5, 1)); // PUBREC after 1.75 s: a sign of life, not yet a completion
      for (int i = 0; i < 7; i++) {
        h.tick(250);
      }
      far.in(Packets.ack(7, 1)); // PUBCOMP 1.75 s later: it completes, so it is no longer stuck
      for (int i = 2; i <= 5; i++) {
        far.in(Packets.ack(5, i));
        far.in(Packets.ack(7, i));
      }
      h.ticks(40);
      assertThat(h.detections(SLOW_SUBSCRIBER)).isEmpty();
    }
  }

  @Test
  void aBusySubscriberAnsweringAsDeliveriesArriveIsNeverStuck() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block"))) {
      Harness.Client busy = h.connect("busy", "127.0.0.9");
      int id = 0;
      for (int t = 0; t < 40; t++) {
        for (int i = 0; i < 20; i++) {
          busy.out(Packets.publish("t", 1, false, 16, true));
        }
        h.tick(250); // sampled with 20 outstanding every time
        for (int i = 0; i < 20; i++) {
          busy.in(Packets.ack(4, ++id));
        }
      }
      assertThat(h.detections(SLOW_SUBSCRIBER)).isEmpty();
    }
  }

  @Test
  void aSubscriberThatCompletedBeforeIsJudgedByTheSlowBarOnly() {
    try (Harness h = with(Harness.rule(SLOW_SUBSCRIBER, "block", "max-inflight", 1, "min-seconds", 5))) {
      Harness.Client c = h.connect("c", "127.0.0.9");
      c.out(Packets.publish("t", 1, false, 16, true));
      c.in(Packets.ack(4, 1));
      c.out(Packets.publish("t", 1, false, 16, true)); // then it holds the next one
      h.ticks(5);
      assertThat(h.detections(SLOW_SUBSCRIBER)).as("held 4 s").isEmpty();
      h.tick();
      assertThat(h.detections(SLOW_SUBSCRIBER)).singleElement()
          .satisfies(r -> assertThat(r.detection().because().get(0)).contains("unacknowledged for 5 s"));
    }
  }

  // --- publish flood: a count past the per-second limit within less than a second ---

  private static DetectorConfig flood() {
    return Harness.rule(PUBLISH_FLOOD, "block", "max-messages-per-second", 50, "max-bytes-per-second", 10_000);
  }

  private static void publish(Harness.Client c, int n, int payload) {
    for (int i = 0; i < n; i++) {
      c.in(Packets.publish("t", 0, false, payload, false));
    }
  }

  @Test
  void aCountPastThePerSecondLimitWithinAQuarterSecondIsAFloodAtOnce() {
    try (Harness h = with(flood())) {
      Harness.Client fast = h.connect("fast", "127.0.0.2");
      Harness.Client heavy = h.connect("heavy", "127.0.0.3");
      h.tick(); // a rate measurement: partial counts start here
      publish(fast, 51, 1);
      publish(heavy, 1, 10_001);
      h.tick(250);
      assertThat(h.detections(PUBLISH_FLOOD)).extracting(r -> r.detection().clientId())
          .containsExactlyInAnyOrder("fast", "heavy");
      assertThat(h.detections(PUBLISH_FLOOD)).filteredOn(r -> r.detection().clientId().equals("fast"))
          .singleElement().satisfies(r -> assertThat(r.detection().because().get(0))
              .isEqualTo("51 messages published per second (limit 50)"));
    }
  }

  @Test
  void theAllowanceUsedUpWithinASecondIsNoFloodAndTheCountRestartsWithEachMeasurement() {
    try (Harness h = with(flood())) {
      Harness.Client c = h.connect("c", "127.0.0.2");
      h.tick();
      publish(c, 50, 1); // exactly the limit, in a quarter second
      h.tick(250);
      h.tick(250);
      h.tick(250);
      h.tick(250); // the second's measurement: 50 per second
      assertThat(h.detections(PUBLISH_FLOOD)).isEmpty();
      publish(c, 30, 1);
      h.tick(250);
      publish(c, 20, 1);
      h.tick(250);
      assertThat(h.detections(PUBLISH_FLOOD)).as("50 since the measurement").isEmpty();
      publish(c, 1, 1);
      h.tick(250);
      assertThat(h.detections(PUBLISH_FLOOD)).as("51 within 0.75 s").hasSize(1);
    }
  }

  @Test
  void aSteadyRateJustUnderTheLimitIsNeverAFlood() {
    try (Harness h = with(flood())) {
      Harness.Client c = h.connect("c", "127.0.0.2");
      for (int t = 0; t < 40; t++) {
        publish(c, 12, 200); // 48 messages and 9,600 bytes a second
        h.tick(250);
      }
      assertThat(h.detections(PUBLISH_FLOOD)).isEmpty();
    }
  }

  // --- connect flood and client-id churn: the crossing wakes the detection thread ---

  @Test
  void anAddressPassingTheConnectLimitInTheOpenWindowWakesTheDetectionThreadOncePerWindow() {
    try (Harness h = new Harness(Harness.config(Map.of(
        CONNECT_FLOOD, Harness.rule(CONNECT_FLOOD, "block", "max-connects", 20))))) {
      IpCounters a = null;
      for (int i = 0; i < 20; i++) {
        a = h.engine.opened(Harness.addr("127.0.0.9"));
        h.engine.connected(a, "same", null);
      }
      assertThat(a.woke).as("at the limit").isFalse();
      h.engine.opened(Harness.addr("127.0.0.9"));
      assertThat(a.woke).isTrue();
      h.ticks(10);
      assertThat(a.woke).as("a new window").isFalse();
      h.engine.opened(Harness.addr("127.0.0.9"));
      assertThat(a.woke).as("15 × 0.9 of the last window plus 1 is a flood by the sliding count,"
          + " but the open window alone is not").isFalse();
    }
  }

  @Test
  void anAddressPassingTheClientIdLimitWakesTheDetectionThreadButReturningDevicesDoNot() {
    DetectorConfig enforcing = Harness.rule(CLIENT_ID_CHURN, "block", "max-client-ids", 20);
    DetectorConfig observing = new DetectorConfig(CLIENT_ID_CHURN, true, DetectionMode.OBSERVE,
        enforcing.action(), enforcing.limits(), enforcing.allowed()); // the fleet's sessions stay up
    try (Harness h = new Harness(Harness.config(Map.of(CLIENT_ID_CHURN, observing)))) {
      IpCounters a = null;
      for (int i = 0; i < 20; i++) {
        a = h.engine.opened(Harness.addr("127.0.0.9"));
        h.engine.connected(a, "new-" + i, null);
      }
      assertThat(a.woke).as("20 ids, estimated 20.2 before rounding").isFalse();
      h.tick(250);
      assertThat(h.detections(CLIENT_ID_CHURN)).isEmpty();
      h.engine.connected(h.engine.opened(Harness.addr("127.0.0.9")), "new-20", null);
      assertThat(a.woke).isTrue();
      h.tick(250);
      assertThat(h.detections(CLIENT_ID_CHURN)).singleElement()
          .satisfies(r -> assertThat(r.detection().because().get(0)).startsWith("about 21 distinct client ids"));
      IpCounters fleet = h.engine.opened(Harness.addr("127.0.0.7"));
      for (int i = 0; i < 30; i++) {
        h.connect("device-" + i, "127.0.0.7");
      }
      h.ticks(10); // the devices' sessions outlive a window: they are established
      for (int i = 0; i < 30; i++) {
        h.engine.connected(h.engine.opened(Harness.addr("127.0.0.7")), "device-" + i, null);
      }
      assertThat(fleet.woke).as("30 returning devices").isFalse();
    }
  }
}

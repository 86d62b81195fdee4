package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bastion.config.CohortConfig;
import io.bastion.config.DetectionConfig;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.ModelConfig;
import io.bastion.config.ResponseConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionEngineTest {

  @Test
  void aClosedWindowCarriesTheSessionsFeatures() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev-1", "127.0.0.5", "alice", 4, 30);
      h.tick();
      for (int i = 0; i < 10; i++) {
        c.in(Packets.publish("site/a/" + (i % 2), 1, i == 0, 100, false));
      }
      c.in(Packets.subscribe(false, "#", "$SYS/broker/+"));
      c.out(Packets.publish("cmd", 1, false, 5, false));
      h.ticks(9);
      assertThat(h.windows).hasSize(1);
      ClientWindow w = h.windows.get(0).get(0);
      assertThat(w.clientId()).isEqualTo("dev-1");
      assertThat(w.remoteIp()).isEqualTo("127.0.0.5");
      assertThat(w.username()).isEqualTo("alice");
      assertThat(w.cohort()).isEqualTo("default");
      assertThat(w.windowMillis()).isEqualTo(10_000);
      assertThat(w.get(ClientFeature.PUBLISHES_IN)).isEqualTo(10);
      assertThat(w.get(ClientFeature.SUBSCRIBES)).isEqualTo(1);
      assertThat(w.get(ClientFeature.MESSAGES_OUT)).isEqualTo(1);
      assertThat(w.get(ClientFeature.PAYLOAD_MEAN)).isEqualTo(100);
      assertThat(w.get(ClientFeature.PAYLOAD_MAX)).isEqualTo(100);
      assertThat(w.get(ClientFeature.RETAINED_RATIO)).isEqualTo(0.1);
      assertThat(w.get(ClientFeature.DISTINCT_TOPICS)).isCloseTo(2, within(0.5));
      assertThat(w.get(ClientFeature.NEW_TOPIC_SHARE)).isEqualTo(1);
      assertThat(w.get(ClientFeature.TOPIC_DEPTH_MAX)).isEqualTo(3);
      assertThat(w.get(ClientFeature.WILDCARD_FILTERS)).isEqualTo(1);
      assertThat(w.get(ClientFeature.SYS_FILTERS)).isEqualTo(1);
      assertThat(w.get(ClientFeature.CONNECTS)).isEqualTo(1);
      assertThat(w.get(ClientFeature.KEEPALIVE)).isEqualTo(30);
      assertThat(w.get(ClientFeature.CONNECT_DELAY)).isEqualTo(2);
      assertThat(w.get(ClientFeature.INFLIGHT)).isEqualTo(1);

      // the next window starts from zero, and topics seen before are no longer new
      c.in(Packets.publish("site/a/0", 0, false, 10, false));
      h.ticks(10);
      ClientWindow w2 = h.windows.get(1).get(0);
      assertThat(w2.get(ClientFeature.PUBLISHES_IN)).isEqualTo(1);
      assertThat(w2.get(ClientFeature.PAYLOAD_MAX)).isEqualTo(10);
      assertThat(w2.get(ClientFeature.NEW_TOPIC_SHARE)).isZero();
      assertThat(w2.get(ClientFeature.SUBSCRIBES)).isZero();
    }
  }

  @Test
  void aPacketCountedJustBeforeTheWindowClosesIsInThatWindowOnly() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev-1", "127.0.0.5");
      h.ticks(9);
      c.in(Packets.publish("t", 0, false, 1, false));
      h.tick(); // closes window 1
      c.in(Packets.publish("t", 0, false, 1, false));
      h.ticks(10);
      assertThat(h.windows.get(0).get(0).get(ClientFeature.PUBLISHES_IN)).isEqualTo(1);
      assertThat(h.windows.get(1).get(0).get(ClientFeature.PUBLISHES_IN)).isEqualTo(1);
    }
  }

  @Test
  void anEndedSessionGivesItsLastWindowThenIsDropped() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev-1", "127.0.0.5");
      h.tick();
      c.in(Packets.publish("t", 0, false, 1, false));
      c.close();
      h.ticks(9);
      assertThat(h.windows.get(0)).hasSize(1);
      h.ticks(10);
      assertThat(h.windows.get(1)).isEmpty();
      assertThat(h.engine.trackedClients()).isZero();
    }
  }

  @Test
  void addressWindowsCountConnectionsIdsUsernamesFailuresAndHalfOpen() {
    try (Harness h = new Harness()) {
      for (int i = 0; i < 4; i++) {
        IpCounters ip = h.engine.opened(Harness.addr("127.0.0.7"));
        h.engine.connected(ip, "id-" + i, "user-" + (i % 2));
      }
      IpCounters halfOpen = h.engine.opened(Harness.addr("127.0.0.7"));
      h.engine.authFailed(halfOpen, "id-x", "user-0");
      h.ticks(10);
      IpWindow w = h.ipWindows.get(0).get(0);
      assertThat(w.remoteIp()).isEqualTo("127.0.0.7");
      assertThat(w.get(IpFeature.NEW_CONNECTIONS)).isEqualTo(5);
      assertThat(w.get(IpFeature.DISTINCT_CLIENT_IDS)).isCloseTo(4, within(0.5));
      assertThat(w.get(IpFeature.DISTINCT_USERNAMES)).isCloseTo(2, within(0.5));
      assertThat(w.get(IpFeature.AUTH_FAILURES)).isEqualTo(1);
      assertThat(w.get(IpFeature.HALF_OPEN)).isEqualTo(1);
      h.engine.closedBeforeConnect(halfOpen);
      h.ticks(10);
      assertThat(h.ipWindows.get(1)).isEmpty();
    }
  }

  @Test
  void aSecondConnectionWithTheSameIdIsATakeover() {
    try (Harness h = new Harness()) {
      Harness.Client first = h.connect("dev-1", "127.0.0.5");
      h.connect("dev-1", "127.0.0.6");
      first.close();
      h.ticks(10);
      assertThat(h.windows.get(0)).allSatisfy(w -> {
        assertThat(w.get(ClientFeature.TAKEOVERS)).isEqualTo(1);
        assertThat(w.get(ClientFeature.CONNECTS)).isEqualTo(2);
      });
    }
  }

  @Test
  void cohortsComeFromTheFirstMatchingRule() {
    DetectionConfig cfg = new DetectionConfig(true, Duration.ofSeconds(10), ModelConfig.defaults(),
        List.of(new CohortConfig("sensors", null, "sensor-*", null, null),
            new CohortConfig("staff", null, null, "staff-", null)),
        DetectorCatalog.defaults(), ResponseConfig.DEFAULT);
    try (Harness h = new Harness(cfg)) {
      h.connect("sensor-1", "127.0.0.5", "staff-bob", 4, 60);
      h.connect("laptop", "127.0.0.6", "staff-bob", 4, 60);
      h.connect("other", "127.0.0.7", null, 4, 60);
      h.ticks(10);
      assertThat(h.windows.get(0)).extracting(ClientWindow::clientId, ClientWindow::cohort)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("sensor-1", "sensors"),
              org.assertj.core.groups.Tuple.tuple("laptop", "staff"),
              org.assertj.core.groups.Tuple.tuple("other", "default"));
    }
  }

  @Test
  void disabledDetectionTracksNothing() {
    DetectionConfig off = new DetectionConfig(false, Duration.ofSeconds(10), ModelConfig.defaults());
    try (Harness h = new Harness(off)) {
      assertThat(h.engine.opened(Harness.addr("127.0.0.5"))).isNull();
      h.engine.start(); // no thread
      assertThat(h.engine.enabled()).isFalse();
    }
  }

  @Test
  void aSinkThatThrowsDoesNotStopTheOthers() {
    try (Harness h = new Harness()) {
      h.engine.addSink(w -> {
        throw new IllegalStateException("broken sink");
      });
      List<Integer> sizes = new java.util.ArrayList<>();
      h.engine.addSink(w -> sizes.add(w.size()));
      h.connect("dev-1", "127.0.0.5");
      h.ticks(10);
      assertThat(sizes).containsExactly(1);
    }
  }

  @Test
  void theEngineTicksOnItsOwnThread() throws Exception {
    try (Harness h = new Harness()) {
      List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.engine.addSink(w -> threads.add(Thread.currentThread().getName()));
      h.connect("dev-1", "127.0.0.5");
      h.engine.start();
      h.clock.advance(20_000); // the next real tick closes a window
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());
      assertThat(threads.get(0)).isEqualTo("bastion-detect");
    }
  }
}

package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.ResponseConfig;
import io.bastion.detect.Detection.Action;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradedResponderTest {

  private static Detection about(Harness h, String detector, String clientId, String ip, Action wanted) {
    return new Detection(Instant.ofEpochMilli(h.clock.millis()), detector, clientId, ip, "default", 2.0,
        List.of("because"), wanted);
  }

  /** The reason code of the DISCONNECT Bastion wrote to the client, or -1. */
  private static int disconnectCode(Harness.Client c) {
    c.channel().runPendingTasks();
    for (ByteBuf b; (b = c.channel().readOutbound()) != null; ) {
      try {
        if (b.getUnsignedByte(0) >>> 4 == PacketType.DISCONNECT.value()) {
          return b.readableBytes() > 2 ? b.getUnsignedByte(2) : 0;
        }
      } finally {
        b.release();
      }
    }
    return -1;
  }

  @Test
  void repeatOffencesWhileRestrictedStepUpToBlock() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev", "127.0.0.9");
      h.tick();
      GradedResponder r = h.engine.responder();
      r.respond(about(h, "model", "dev", "127.0.0.9", Action.THROTTLE));
      assertThat(c.counters().restriction()).isEqualTo(ClientCounters.THROTTLED);
      r.respond(about(h, "model", "dev", "127.0.0.9", Action.THROTTLE));
      assertThat(c.counters().restriction()).isEqualTo(ClientCounters.DENIED);
      r.respond(about(h, "model", "dev", "127.0.0.9", Action.THROTTLE));
      assertThat(h.engine.log().recent(10, x -> true)).extracting(DetectionRecord::action)
          .containsExactly("block", "deny", "throttle");
      assertThat(h.blocklist.match(null, "dev", null, null)).isNotNull();
      assertThat(disconnectCode(c)).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION.v5());
    }
  }

  @Test
  void floodsEndMqtt5SessionsWithMessageRateTooHigh() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev", "127.0.0.9");
      h.tick();
      h.engine.responder().respond(about(h, DetectorCatalog.PUBLISH_FLOOD, "dev", "127.0.0.9", Action.BLOCK));
      assertThat(disconnectCode(c)).isEqualTo(ReasonCode.MESSAGE_RATE_TOO_HIGH.v5());
    }
  }

  @Test
  void blockTimeDoublesUpToTheCap() {
    ResponseConfig cfg = new ResponseConfig(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), 10);
    assertThat(GradedResponder.blockTime(cfg, 0)).isEqualTo(Duration.ofMinutes(5));
    assertThat(GradedResponder.blockTime(cfg, 1)).isEqualTo(Duration.ofMinutes(10));
    assertThat(GradedResponder.blockTime(cfg, 2)).isEqualTo(Duration.ofMinutes(20));
    assertThat(GradedResponder.blockTime(cfg, 3)).isEqualTo(Duration.ofMinutes(30));
    assertThat(GradedResponder.blockTime(cfg, 40)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aRepeatBlockLastsTwiceAsLong() {
    try (Harness h = new Harness()) {
      GradedResponder r = h.engine.responder();
      r.respond(about(h, "malformed", null, "127.0.0.9", Action.BLOCK));
      assertThat(h.detections().get(0).blockSeconds()).isEqualTo(300);
      h.clock.advance(Duration.ofMinutes(6).toMillis()); // the first block has run out
      r.respond(about(h, "malformed", null, "127.0.0.9", Action.BLOCK));
      assertThat(h.detections().get(0).blockSeconds()).isEqualTo(600);
      Instant expires = h.blocklist.list().get(0).expires();
      assertThat(expires).isEqualTo(Instant.ofEpochMilli(h.clock.millis()).plusSeconds(600));
    }
  }

  @Test
  void theAllowlistIsNeverActedOn() {
    try (Harness h = new Harness()) {
      h.allowlist.add(Kind.IP, "127.0.0.0/24", "monitoring", null, "config");
      Harness.Client c = h.connect("probe", "127.0.0.9");
      h.tick();
      h.engine.responder().respond(about(h, "model", "probe", "127.0.0.9", Action.BLOCK));
      h.engine.responder().respond(about(h, "connect-flood", null, "127.0.0.9", Action.BLOCK));
      assertThat(h.blocklist.list()).isEmpty();
      assertThat(c.channel().isOpen()).isTrue();
      assertThat(h.detections()).extracting(DetectionRecord::action).containsOnly("none (allowlisted)");
      assertThat(h.engine.responder().flagged("probe")).isFalse();
    }
  }

  @Test
  void throttlesExpireAndFlagsWithThem() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev", "127.0.0.9");
      h.tick();
      h.engine.responder().respond(about(h, "model", "dev", "127.0.0.9", Action.THROTTLE));
      assertThat(h.engine.responder().flagged("dev")).isTrue();
      h.clock.advance(Duration.ofMinutes(5).toMillis());
      h.tick();
      assertThat(c.counters().restriction()).isEqualTo(ClientCounters.FREE);
      assertThat(h.engine.responder().flagged("dev")).isFalse();
    }
  }

  @Test
  void aReconnectingThrottledClientStaysThrottled() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev", "127.0.0.9");
      h.tick();
      h.engine.responder().respond(about(h, "model", "dev", "127.0.0.9", Action.DENY));
      c.close();
      Harness.Client again = h.connect("dev", "127.0.0.10");
      assertThat(again.counters().restriction()).isEqualTo(ClientCounters.DENIED);
    }
  }

  @Test
  void clearingLiftsBlockRestrictionAndHistory() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("dev", "127.0.0.9");
      h.tick();
      GradedResponder r = h.engine.responder();
      r.respond(about(h, "wildcard-scan", "dev", "127.0.0.9", Action.DENY));
      r.respond(about(h, "brute-force-ip", null, "127.0.0.7", Action.BLOCK));
      h.blocklist.add(Kind.IP, "127.0.0.7", "by hand", null, "api");
      assertThat(r.clear(Kind.CLIENT_ID, "dev")).contains("offence history", "restriction of session dev");
      assertThat(c.counters().restriction()).isEqualTo(ClientCounters.FREE);
      assertThat(r.flagged("dev")).isFalse();
      // an operator's own entry for the same address replaced the detector's, and stays
      assertThat(r.clear(Kind.IP, "127.0.0.7")).containsExactly("offence history");
      assertThat(h.blocklist.list()).hasSize(1);
      assertThat(r.clear(Kind.USERNAME, "nobody")).isEmpty();
    }
  }

  @Test
  void observedClientsAreFlaggedForTwoWindows() {
    try (Harness h = new Harness()) {
      h.connect("dev", "127.0.0.9");
      h.tick();
      h.engine.responder().respond(about(h, "model", "dev", "127.0.0.9", Action.OBSERVE));
      assertThat(h.engine.responder().flagged("dev")).isTrue();
      h.clock.advance(20_001);
      assertThat(h.engine.responder().flagged("dev")).isFalse();
      assertThat(h.engine.log().actions("observe")).isEqualTo(1);
      assertThat(h.engine.log().detections("model")).isEqualTo(1);
    }
  }

  @Test
  void aUsernameUnderGuardIsNotSteppedUpToABlock() {
    try (Harness h = new Harness()) {
      GradedResponder r = h.engine.responder();
      r.respond(new Detection(Instant.ofEpochMilli(h.clock.millis()), DetectorCatalog.BRUTE_FORCE_SLOW, null, null,
          null, 3, List.of("because"), Action.GUARD, "meter"));
      r.respond(new Detection(Instant.ofEpochMilli(h.clock.millis()), "model", null, null,
          null, 1, List.of("because"), Action.THROTTLE, "meter"));
      assertThat(h.engine.log().recent(10, x -> true)).extracting(DetectionRecord::action)
          .containsExactly("throttle", "guard");
      assertThat(h.blocklist.list()).isEmpty();
      assertThat(r.guards().guardOf("meter")).isNotNull();
    }
  }

  @Test
  void onlyUsernamesCanBeGuarded() {
    try (Harness h = new Harness()) {
      h.engine.responder().respond(about(h, "model", null, "127.0.0.9", Action.GUARD));
      assertThat(h.engine.log().recent(10, x -> true)).extracting(DetectionRecord::action).containsExactly("observe");
      assertThat(h.engine.responder().guards().list()).isEmpty();
      assertThat(h.blocklist.list()).isEmpty();
    }
  }
}

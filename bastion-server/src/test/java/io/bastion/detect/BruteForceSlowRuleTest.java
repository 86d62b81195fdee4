package io.bastion.detect;

import static io.bastion.config.DetectorCatalog.BRUTE_FORCE_SLOW;
import static io.bastion.config.DetectorCatalog.BRUTE_FORCE_USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;
import io.bastion.detect.Detection.Action;
import io.bastion.security.UsernameGuards;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The long-horizon rule: slow guessing from fresh ids is found, a device's own retries are not. */
class BruteForceSlowRuleTest {

  private static Harness with(DetectorConfig rule) {
    return new Harness(Harness.config(Map.of(rule.name(), rule)));
  }

  private static Harness slow(Object... limits) {
    return with(Harness.rule(BRUTE_FORCE_SLOW, "guard", limits));
  }

  private static void fail(Harness h, String clientId, String ip, String username) {
    IpCounters a = h.engine.opened(Harness.addr(ip));
    h.engine.connected(a, clientId, username);
    h.engine.authFailed(a, clientId, username);
  }

  /** Lets {@code seconds} pass tick by tick, windows closing on the way as they do live. */
  private static void pass(Harness h, int seconds) {
    h.ticks(seconds);
  }

  @Test
  void oneGuessAMinuteFromFreshIdsIsFoundOnTheThirdGuess() {
    try (Harness h = slow()) {
      long start = h.clock.millis();
      fail(h, "guess-0", "127.0.3.1", "meter-7");
      pass(h, 60);
      fail(h, "guess-1", "127.0.3.2", "meter-7");
      pass(h, 60);
      assertThat(h.detections(BRUTE_FORCE_SLOW)).isEmpty(); // two guesses: at the limit, not above
      fail(h, "guess-2", "127.0.3.3", "meter-7");
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).singleElement().satisfies(r -> {
        assertThat(r.detection().username()).isEqualTo("meter-7");
        assertThat(r.detection().clientId()).isNull();
        assertThat(r.detection().wanted()).isEqualTo(Action.GUARD);
        assertThat(r.detection().because().get(0)).contains("3 failed logins").contains("last 10 min");
        assertThat(r.detection().because().get(1)).contains("3 client ids and 3 addresses");
        assertThat(r.action()).isEqualTo("guard");
        assertThat(r.detection().time().toEpochMilli() - start).isLessThan(Duration.ofMinutes(5).toMillis());
      });
      assertThat(h.engine.responder().guards().guardOf("meter-7")).isNotNull();
      assertThat(h.blocklist.list()).isEmpty(); // nobody locked out
    }
  }

  @Test
  void freshIdsFromTheOwnersOwnAddressCountToo() {
    try (Harness h = slow()) {
      for (int i = 0; i < 3; i++) {
        fail(h, "guess-" + i, "127.0.0.7", "meter-7");
        pass(h, 50);
      }
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(1);
    }
  }

  @Test
  void aDeviceRetryingWithItsOwnIdIsNeverFlagged() {
    try (Harness h = slow()) {
      for (int i = 0; i < 40; i++) { // a retry every 15 s for ten minutes: the password changed under it
        fail(h, "meter-7", "127.0.0.7", "meter-7");
        pass(h, 15);
      }
      assertThat(h.detections()).isEmpty();
      assertThat(h.engine.responder().guards().list()).isEmpty();
    }
  }

  @Test
  void manyClientIdsAreNotEnoughWhenMoreAddressesAreRequired() {
    try (Harness h = slow("min-addresses", 2)) {
      for (int i = 0; i < 5; i++) {
        fail(h, "guess-" + i, "127.0.0.7", "meter-7");
        pass(h, 30);
      }
      assertThat(h.detections(BRUTE_FORCE_SLOW)).isEmpty();
      fail(h, "guess-5", "127.0.0.8", "meter-7");
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(1);
    }
  }

  @Test
  void failuresOlderThanTheHorizonNoLongerCount() {
    try (Harness h = slow("horizon", 60)) {
      fail(h, "guess-0", "127.0.3.1", "meter-7");
      pass(h, 30);
      fail(h, "guess-1", "127.0.3.2", "meter-7");
      pass(h, 30); // by the next check the first guess is more than a horizon old: out
      fail(h, "guess-2", "127.0.3.3", "meter-7");
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).isEmpty();
      fail(h, "guess-3", "127.0.3.4", "meter-7"); // 2, 3, 4 within the minute
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(1);
    }
  }

  @Test
  void reportsAgainOnlyWhenGuessingGoesOn() {
    try (Harness h = slow()) {
      for (int i = 0; i < 3; i++) {
        fail(h, "guess-" + i, "127.0.3." + i, "meter-7");
        pass(h, 20);
      }
      pass(h, 300); // the failures stay in the horizon, but nothing new happened
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(1);
      fail(h, "guess-3", "127.0.3.3", "meter-7");
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(2);
    }
  }

  @Test
  void aUsernameIsRememberedForTheHorizonAndForgottenAfter() {
    try (Harness h = slow("horizon", 120)) {
      fail(h, "guess-0", "127.0.3.1", "meter-7");
      pass(h, 100); // ten windows idle: the per-window rules alone would have forgotten it
      assertThat(h.engine.trackedUsernames()).isEqualTo(1);
      pass(h, 60);
      assertThat(h.engine.trackedUsernames()).isZero();
    }
  }

  @Test
  void theUsernameRuleCanGuardInsteadOfLockingOut() {
    DetectorConfig slowOff = new DetectorConfig(BRUTE_FORCE_SLOW, false, io.bastion.config.DetectionMode.ENFORCE,
        io.bastion.config.DetectorAction.GUARD, DetectorCatalog.defaults().get(BRUTE_FORCE_SLOW).limits(), java.util.List.of());
    DetectorConfig user = Harness.rule(BRUTE_FORCE_USER, "guard", "max-failures", 5);
    try (Harness h = new Harness(Harness.config(Map.of(user.name(), user, slowOff.name(), slowOff)))) {
      for (int i = 0; i < 6; i++) {
        fail(h, "c" + i, "127.0.0.2" + (i % 2), "root");
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_USER)).singleElement()
          .satisfies(r -> assertThat(r.action()).isEqualTo("guard"));
      assertThat(h.blocklist.list()).isEmpty();
      UsernameGuards.Guard g = h.engine.responder().guards().guardOf("root");
      assertThat(g.source()).isEqualTo("detect:" + BRUTE_FORCE_USER);
      assertThat(g.expires().toEpochMilli() - h.clock.millis()).isEqualTo(Duration.ofMinutes(5).toMillis());
    }
  }

  @Test
  void aGuardRunsOutAndARepeatGuardsTwiceAsLong() {
    try (Harness h = slow("horizon", 60)) {
      UsernameGuards guards = h.engine.responder().guards();
      for (int i = 0; i < 3; i++) {
        fail(h, "a" + i, "127.0.3." + i, "meter-7");
      }
      h.tick();
      assertThat(guards.guardOf("meter-7").expires().toEpochMilli() - h.clock.millis()).isEqualTo(300_000);
      fail(h, "a3", "127.0.3.3", "meter-7"); // guessing goes on under the guard: renewed, not doubled
      pass(h, 11);
      assertThat(h.detections(BRUTE_FORCE_SLOW)).hasSize(2);
      long renewedAt = h.detections(BRUTE_FORCE_SLOW).get(0).detection().time().toEpochMilli();
      assertThat(guards.guardOf("meter-7").expires().toEpochMilli()).isEqualTo(renewedAt + 300_000);
      pass(h, 300);
      assertThat(guards.guardOf("meter-7")).isNull();
      assertThat(guards.list()).isEmpty();
      for (int i = 0; i < 3; i++) {
        fail(h, "b" + i, "127.0.4." + i, "meter-7");
      }
      h.tick();
      assertThat(guards.guardOf("meter-7").expires().toEpochMilli() - h.clock.millis()).isEqualTo(600_000);
      assertThat(h.engine.responder().clear(io.bastion.config.AccessEntryConfig.Kind.USERNAME, "meter-7"))
          .contains("guard of username meter-7");
      assertThat(guards.guardOf("meter-7")).isNull();
    }
  }

  @Test
  void observeModeOnlyReports() {
    DetectorConfig d = DetectorCatalog.defaults().get(BRUTE_FORCE_SLOW);
    DetectorConfig observing = new DetectorConfig(d.name(), true, io.bastion.config.DetectionMode.OBSERVE,
        d.action(), d.limits(), d.allowed());
    try (Harness h = with(observing)) {
      for (int i = 0; i < 3; i++) {
        fail(h, "guess-" + i, "127.0.3." + i, "meter-7");
      }
      h.tick();
      assertThat(h.detections(BRUTE_FORCE_SLOW)).singleElement()
          .satisfies(r -> assertThat(r.action()).isEqualTo("observe"));
      assertThat(h.engine.responder().guards().list()).isEmpty();
    }
  }
}

package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionSectionTest {

  private static final String BASE = "listeners:\n  - name: mqtt\n    port: 1883\n"
      + "pools:\n  - name: p\n    brokers:\n      - host: 127.0.0.1\n        port: 1884\n";

  @Test
  void withoutTheSectionEveryRuleHasItsDefaults() throws Exception {
    DetectionConfig d = ConfigLoader.parse(BASE, "t", n -> null).detection();
    assertThat(d).isEqualTo(DetectionConfig.DEFAULT);
    assertThat(d.rules().keySet()).containsExactlyInAnyOrderElementsOf(DetectorCatalog.names());
    assertThat(d.rule(DetectorCatalog.CONNECT_FLOOD).limit("max-connects")).isEqualTo(1000);
    assertThat(d.model().mode()).isEqualTo(DetectionMode.OBSERVE);
  }

  @Test
  void readsEveryKey() throws Exception {
    DetectionConfig d = ConfigLoader.parse(BASE + "detection:\n"
        + "  enabled: true\n  window: 5s\n"
        + "  cohorts:\n    - name: sensors\n      client-id: \"sensor-*\"\n      listener: mqtt\n"
        + "    - name: ops\n      username-prefix: ops-\n      certificate-ou: Operations\n"
        + "  rules:\n"
        + "    connect-flood:\n      mode: observe\n      max-connects: 50\n"
        + "    publish-flood:\n      action: block\n      max-bytes-per-second: 1MiB\n"
        + "    wildcard-scan:\n      mode: enforce\n      allowed: [backend, ops]\n"
        + "    slowite:\n      enabled: false\n"
        + "  response:\n    block-ttl: 1m\n    max-block-ttl: 1h\n    offence-memory: 2h\n    throttle-rate: 5\n"
        + "  model:\n    enabled: false\n    mode: enforce\n    trees: 50\n    sample-size: 128\n"
        + "    warm-up-windows: 30\n    votes: 2\n    vote-windows: 4\n    checkpoint-dir: model\n"
        + "    checkpoint-interval: 1m\n", "t", n -> null, Path.of("/etc/bastion")).detection();
    assertThat(d.window()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.cohorts()).containsExactly(new CohortConfig("sensors", "mqtt", "sensor-*", null, null),
        new CohortConfig("ops", null, null, "ops-", "Operations"));
    DetectorConfig flood = d.rule(DetectorCatalog.CONNECT_FLOOD);
    assertThat(flood.mode()).isEqualTo(DetectionMode.OBSERVE);
    assertThat(flood.limit("max-connects")).isEqualTo(50);
    DetectorConfig publish = d.rule(DetectorCatalog.PUBLISH_FLOOD);
    assertThat(publish.action()).isEqualTo(DetectorAction.BLOCK);
    assertThat(publish.limit("max-bytes-per-second")).isEqualTo(1024 * 1024);
    assertThat(publish.limit("max-messages-per-second")).isEqualTo(10_000);
    assertThat(d.rule(DetectorCatalog.WILDCARD_SCAN).allowed()).containsExactly("backend", "ops");
    assertThat(d.rule(DetectorCatalog.WILDCARD_SCAN).enforcing()).isTrue();
    assertThat(d.rule(DetectorCatalog.SLOWITE).enabled()).isFalse();
    assertThat(d.response()).isEqualTo(new ResponseConfig(Duration.ofMinutes(1), Duration.ofHours(1),
        Duration.ofHours(2), 5));
    assertThat(d.model()).isEqualTo(new ModelConfig(false, DetectionMode.ENFORCE, 50, 128, 30, 2, 4,
        Path.of("/etc/bastion/model"), Duration.ofMinutes(1)));
  }

  @Test
  void everyErrorNamesItsKeyAndLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "detection:\n" // line 9
        + "  window: 500ms\n"
        + "  cohorts:\n    - name: x\n"
        + "    - name: y\n      listener: nope\n"
        + "  rules:\n"
        + "    conect-flood:\n      max-connects: 5\n"
        + "    malformed:\n      mode: block\n      max-malformed: 0\n"
        + "    publish-flood:\n      action: kill\n      max-connects: 3\n"
        + "  response:\n    block-ttl: 2h\n    max-block-ttl: 1h\n"
        + "  model:\n    votes: 6\n    vote-windows: 5\n", "t", n -> null));
    List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).anyMatch(m -> m.startsWith("line 10: detection.window") && m.contains("at least 1s"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 12: detection.cohorts[0].name") && m.contains("at least one of"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 14: detection.cohorts[1].listener") && m.contains("no listener"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 16: detection.rules.conect-flood") && m.contains("did you mean 'connect-flood'"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 19: detection.rules.malformed.mode") && m.contains("observe or enforce"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 20: detection.rules.malformed.max-malformed") && m.contains("at least 1"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 22: detection.rules.publish-flood.action") && m.contains("throttle, deny, guard or block"));
    assertThat(errors).anyMatch(m -> m.contains("detection.rules.publish-flood.max-connects") && m.contains("unknown key"));
    assertThat(errors).anyMatch(m -> m.contains("detection.response.max-block-ttl") && m.contains("must not be shorter"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 28: detection.model.votes") && m.contains("cannot exceed"));
  }

  @Test
  void slowBruteForceReadsItsHorizonAsADurationAndMayGuard() throws Exception {
    DetectionConfig d = ConfigLoader.parse(BASE + "detection:\n  rules:\n"
        + "    brute-force-slow:\n      horizon: 30s\n      max-failures: 3\n      min-client-ids: 4\n"
        + "      min-addresses: 2\n"
        + "    brute-force-user:\n      action: guard\n", "t", n -> null).detection();
    DetectorConfig slow = d.rule(DetectorCatalog.BRUTE_FORCE_SLOW);
    assertThat(slow.limit("horizon")).isEqualTo(30);
    assertThat(slow.limit("max-failures")).isEqualTo(3);
    assertThat(slow.limit("min-client-ids")).isEqualTo(4);
    assertThat(slow.limit("min-addresses")).isEqualTo(2);
    assertThat(slow.action()).isEqualTo(DetectorAction.GUARD);
    assertThat(d.rule(DetectorCatalog.BRUTE_FORCE_USER).action()).isEqualTo(DetectorAction.GUARD);
    assertThat(DetectionConfig.DEFAULT.rule(DetectorCatalog.BRUTE_FORCE_SLOW).limit("horizon")).isEqualTo(600);
  }

  @Test
  void guardFitsUsernameRulesOnlyAndTheHorizonMustBeADuration() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "detection:\n" // line 9
        + "  rules:\n"
        + "    connect-flood:\n      action: guard\n"
        + "    brute-force-slow:\n      horizon: ten minutes\n      max-failures: 8\n", "t", n -> null));
    List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).anyMatch(m -> m.startsWith("line 12: detection.rules.connect-flood.action")
        && m.contains("guard applies to rules about a username only"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 14: detection.rules.brute-force-slow.horizon")
        && m.contains("duration"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 15: detection.rules.brute-force-slow.max-failures")
        && m.contains("must be below 8"));
  }

  @Test
  void theFastBarsOfSlowiteAndSlowSubscriberAreReadAndCheckedWithTheirKeyAndLine() throws Exception {
    DetectionConfig d = ConfigLoader.parse(BASE + "detection:\n  rules:\n"
        + "    slowite:\n      burst-sessions: 40\n"
        + "    slow-subscriber:\n      stuck-seconds: 0.5\n", "t", n -> null).detection();
    assertThat(d.rule(DetectorCatalog.SLOWITE).limit("burst-sessions")).isEqualTo(40);
    assertThat(d.rule(DetectorCatalog.SLOWITE).limit("min-idle-seconds")).isEqualTo(300);
    assertThat(d.rule(DetectorCatalog.SLOW_SUBSCRIBER).limit("stuck-seconds")).isEqualTo(0.5);
    assertThat(d.rule(DetectorCatalog.SLOW_SUBSCRIBER).limit("max-inflight")).isEqualTo(5);
    assertThat(DetectionConfig.DEFAULT.rule(DetectorCatalog.SLOW_SUBSCRIBER).limit("stuck-seconds")).isEqualTo(2);
    assertThat(DetectionConfig.DEFAULT.rule(DetectorCatalog.SLOWITE).limit("burst-sessions")).isEqualTo(100);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "detection:\n  rules:\n" // line 9
        + "    slowite:\n      burst-sessions: 0\n"
        + "    slow-subscriber:\n      stuck-seconds: 0.1\n      stuck-second: 3\n", "t", n -> null));
    List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).anyMatch(m -> m.startsWith("line 12: detection.rules.slowite.burst-sessions")
        && m.contains("must be at least 1, got 0"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 14: detection.rules.slow-subscriber.stuck-seconds")
        && m.contains("must be at least 0.25, got 0.1"));
    assertThat(errors).anyMatch(m -> m.contains("detection.rules.slow-subscriber.stuck-second")
        && m.contains("did you mean 'stuck-seconds'"));
  }
}

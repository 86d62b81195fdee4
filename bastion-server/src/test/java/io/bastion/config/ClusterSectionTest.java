package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSectionTest {

  private static final String BASE = "listeners:\n  - name: mqtt\n    port: 1883\n"
      + "pools:\n  - name: p\n    brokers:\n      - host: 127.0.0.1\n        port: 1884\n";

  @Test
  void withoutSectionTheNodeIsStandalone() throws Exception {
    assertThat(ConfigLoader.parse(BASE, "t", n -> null).cluster()).isEqualTo(ClusterConfig.STANDALONE);
  }

  @Test
  void readsEveryKey() throws Exception {
    ClusterConfig c = ConfigLoader.parse(BASE + "cluster:\n  name: edge\n  bind: 10.0.0.5\n  port: 5801\n"
        + "  members: [10.0.0.5, \"10.0.0.6:5801\", bastion-3.internal]\n  dns: bastion.internal\n"
        + "  trusted: [10.0.0.0/24]\n  quorum: 2\n  heartbeat: 1s\n  suspect-after: 4s\n"
        + "  merge-delay: 10s\n  server-reference: mqtt.example.com:1883\n", "t", n -> null).cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.name()).isEqualTo("edge");
    assertThat(c.bind()).isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(5801);
    assertThat(c.members()).containsExactly("10.0.0.5", "10.0.0.6:5801", "bastion-3.internal");
    assertThat(c.dns()).isEqualTo("bastion.internal");
    assertThat(c.multicast()).isFalse();
    assertThat(c.trusted()).containsExactly("10.0.0.0/24");
    assertThat(c.quorum()).isEqualTo(2);
    assertThat(c.suspectAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.mergeDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.serverReference()).isEqualTo("mqtt.example.com:1883");
  }

  @Test
  void quorumDefaultsToAMajorityOfTheSeedsWithThisNode() throws Exception {
    ClusterConfig three = ConfigLoader.parse(BASE + "cluster:\n  bind: 127.0.0.2\n"
        + "  members: [\"127.0.0.2:5701\", \"127.0.0.3:5701\", \"127.0.0.4:5701\"]\n", "t", n -> null).cluster();
    assertThat(three.effectiveQuorum()).isEqualTo(2);
    ClusterConfig alone = ConfigLoader.parse(BASE + "cluster:\n  bind: 127.0.0.2\n", "t", n -> null).cluster();
    assertThat(alone.effectiveQuorum()).isEqualTo(1);
  }

  @Test
  void refusesAPublicBindUnlessAllowed() throws Exception {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "cluster:\n  bind: 203.0.113.7\n", "t", n -> null));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .anyMatch(m -> m.startsWith("line 10: cluster.bind") && m.contains("public address")
            && m.contains("allow-public-bind"));
    ConfigException wildcard = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "cluster:\n  bind: 0.0.0.0\n", "t", n -> null));
    assertThat(wildcard.errors()).extracting(ConfigError::toString)
        .anyMatch(m -> m.contains("cluster.bind") && m.contains("every interface"));
    ClusterConfig allowed = ConfigLoader.parse(BASE + "cluster:\n  bind: 203.0.113.7\n"
        + "  allow-public-bind: true\n", "t", n -> null).cluster();
    assertThat(allowed.bind()).isEqualTo("203.0.113.7");
  }

  @Test
  void everyErrorNamesItsKeyAndLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "cluster:\n"                                         // 9
        + "  bind: bastion.local\n"                            // 10
        + "  members: [\"10.0.0.1:99999\", \"\"]\n"            // 11
        + "  trusted: [10.0.0.0/99]\n"                         // 12
        + "  heartbeat: 1500ms\n"                              // 13
        + "  suspect-after: 1s\n"                              // 14
        + "  nmae: x\n", "t", n -> null));                     // 15
    List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).anyMatch(m -> m.startsWith("line 10: cluster.bind") && m.contains("not an IP address"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 11: cluster.members[0]") && m.contains("port"));
    assertThat(errors).anyMatch(m -> m.contains("cluster.members[1]"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 12: cluster.trusted[0]"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 13: cluster.heartbeat") && m.contains("whole seconds"));
    assertThat(errors).anyMatch(m -> m.contains("cluster.nmae") && m.contains("name"));
  }
}

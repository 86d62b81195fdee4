package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecuritySectionTest {

  private static final String BASE = "listeners:\n  - name: mqtt\n    port: 1883\n"
      + "pools:\n  - name: p\n    brokers:\n      - host: 127.0.0.1\n        port: 1884\n";

  @Test
  void readsEverySection() throws Exception {
    BastionConfig c = ConfigLoader.parse(BASE + "security:\n  connections:\n    max-per-ip: 5\n    rate-per-ip: 2\n"
        + "  blocklist:\n    - ip: 10.0.0.0/8\n      reason: r\n  auth:\n    listeners:\n      mqtt: required\n"
        + "    password-file: /tmp/p\n  acl:\n    rules:\n      - user: a\n        publish: [\"x/#\"]\n"
        + "  clients:\n    publish-rate: 5\n    on-excess: disconnect\n", "t", n -> null);
    SecurityConfig s = c.security();
    assertThat(s.connections().maxPerIp()).isEqualTo(5);
    assertThat(s.connections().ratePerIp()).isEqualTo(new RateConfig(2, 2));
    assertThat(s.blocklist()).containsExactly(new AccessEntryConfig(AccessEntryConfig.Kind.IP, "10.0.0.0/8", "r", null));
    assertThat(s.auth().mode("mqtt")).isEqualTo(AuthMode.REQUIRED);
    assertThat(s.acl().rules()).hasSize(1);
    assertThat(s.clients().onExcess()).isEqualTo(ClientLimitsConfig.OnExcess.DISCONNECT);
  }

  @Test
  void everyErrorNamesItsKeyAndLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
        + "security:\n"                                  // 10
        + "  blocklist:\n"                               // 11
        + "    - ip: 10.0.0.1/8\n"                       // 12
        + "    - username: a\n      ip: 1.2.3.4\n"       // 13-14
        + "  auth:\n"                                    // 15
        + "    listeners:\n      mqt: required\n"        // 16-17
        + "  acl:\n    rules:\n      - publish: [\"a/#/b\"]\n" // 18-20
        + "  clients:\n    on-excess: explode\n", "t", n -> null)); // 21-22
    List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).anyMatch(m -> m.startsWith("line 11: security.blocklist[0].ip"));
    assertThat(errors).anyMatch(m -> m.contains("security.blocklist[1]") && m.contains("exactly one"));
    assertThat(errors).anyMatch(m -> m.contains("security.auth.listeners.mqt") && m.contains("did you mean 'mqtt'"));
    assertThat(errors).anyMatch(m -> m.startsWith("line 19: security.acl.rules[0].publish[0]"));
    assertThat(errors).anyMatch(m -> m.contains("security.clients.on-excess") && m.contains("pause or disconnect"));
  }
}

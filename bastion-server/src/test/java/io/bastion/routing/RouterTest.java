package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.RuleConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static PoolConfig pool(String name) {
    return new PoolConfig(name, Strategy.CLIENT_ID_HASH, 1.25, 100,
        List.of(new BrokerConfig("b", "127.0.0.1", 1883, 1)), HealthConfig.DEFAULT,
        Duration.ofSeconds(1), 3, Duration.ofSeconds(5));
  }

  private static Router router(List<RuleConfig> rules, String... pools) {
    return new Router(new BastionConfig(List.of(),
        java.util.Arrays.stream(pools).map(RouterTest::pool).toList(), rules, ShutdownConfig.DEFAULT,
        io.bastion.config.AdminConfig.DISABLED));
  }

  @Test
  void singlePoolWithoutRulesTakesEverything() {
    assertThat(router(List.of(), "main").poolFor(RouteRequest.of("mqtt", "any", null))).isEqualTo("main");
  }

  @Test
  void firstMatchingRuleWins() {
    Router router = router(List.of(
        new RuleConfig("sensors", "sensors", List.of(), "sensor-*", null, null, null),
        new RuleConfig("fleet", "fleet", List.of(), null, null, "fleet-?", null),
        new RuleConfig("internal", "fleet", List.of("internal"), null, null, null, null),
        new RuleConfig("numeric", "sensors", List.of(), null, "[0-9]+", null, null)),
        "sensors", "fleet");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "sensor-1", "fleet-a"))).isEqualTo("sensors");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "car-1", "fleet-a"))).isEqualTo("fleet");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "car-1", "fleet-ab"))).isNull();
    assertThat(router.poolFor(RouteRequest.of("mqtt", "car-1", null))).isNull();
    assertThat(router.poolFor(RouteRequest.of("internal", "car-1", null))).isEqualTo("fleet");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "12345", null))).isEqualTo("sensors");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "12a45", null))).isNull();
  }

  @Test
  void globMetacharactersAreLiteral() {
    Router router = router(List.of(
        new RuleConfig("dots", "main", List.of(), "a.b*", null, null, null)), "main");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "a.bc", null))).isEqualTo("main");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "axbc", null))).isNull();
  }

  @Test
  void globAndRegexMustBothMatch() {
    Router router = router(List.of(
        new RuleConfig("both", "main", List.of(), "dev-*", "dev-[0-9]+", null, null)), "main");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "dev-12", null))).isEqualTo("main");
    assertThat(router.poolFor(RouteRequest.of("mqtt", "dev-ab", null))).isNull();
  }

  @Test
  void sniAndCertificateCommonName() {
    Router router = router(List.of(
        new RuleConfig("by-cert", "devices", List.of(), null, null, null, null, null, "device-*"),
        new RuleConfig("by-name", "apps", List.of(), null, null, null, null, "*.apps.example.com", null)),
        "devices", "apps");
    assertThat(router.poolFor(new RouteRequest("tls", "x", null, null, "device-7"))).isEqualTo("devices");
    assertThat(router.poolFor(new RouteRequest("tls", "x", null, "Web.Apps.Example.com", "sensor-1")))
        .isEqualTo("apps");
    // a matcher that is set never matches a connection without that value
    assertThat(router.poolFor(new RouteRequest("tcp", "x", null, null, null))).isNull();
  }
}

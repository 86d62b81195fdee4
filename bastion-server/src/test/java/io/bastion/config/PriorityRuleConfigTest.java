package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules with pools by priority: what they read, and every mistake named with key and line. */
class PriorityRuleConfigTest {

  private static final String POOLS = """
      listeners:
        - {name: mqtt, port: 1883}
      pools:
        - name: local
          brokers: [{id: l1, host: 10.0.0.1, port: 1883}]
        - name: cloud
          brokers: [{id: c1, host: 10.1.0.1, port: 1883}]
      """;

  @Test
  void readsPoolsInPriorityOrderWithOverflow() throws Exception {
    BastionConfig c = parse(POOLS + """
        rules:
          - name: plant
            client-id: "plant-*"
            pools: [{pool: cloud, priority: 2}, {pool: local, priority: 1, capacity: 500}]
            overflow: {load-threshold: 0.8, return-hold: 45s, return-rate: 20, capacity: 1000}
          - {name: rest, pool: cloud}
        """);
    RuleConfig plant = c.rules().get(0);
    assertThat(plant.prioritized()).isTrue();
    assertThat(plant.pool()).isNull();
    assertThat(plant.firstPool()).isEqualTo("local");
    assertThat(plant.pools()).containsExactly(
        new PriorityPoolConfig("local", 1, 500), new PriorityPoolConfig("cloud", 2, 0));
    assertThat(plant.overflow()).isEqualTo(new OverflowConfig(0.8, Duration.ofSeconds(45), 20, 1000));
    RuleConfig rest = c.rules().get(1);
    assertThat(rest.prioritized()).isFalse();
    assertThat(rest.firstPool()).isEqualTo("cloud");
    assertThat(rest.overflow()).isNull();
  }

  @Test
  void overflowHasDefaults() throws Exception {
    RuleConfig r = parse(POOLS + """
        rules:
          - pools: [{pool: local, priority: 1}, {pool: cloud, priority: 2}]
        """).rules().get(0);
    assertThat(r.overflow()).isEqualTo(OverflowConfig.DEFAULT);
  }

  @Test
  void poolAndPoolsTogetherAreRefused() {
    assertThat(errors(POOLS + """
        rules:
          - name: both
            pool: local
            pools: [{pool: local, priority: 1}, {pool: cloud, priority: 2}]
        """)).containsExactly(new ConfigError("rules[0].pools", 11,
            "'pool' and 'pools' exclude each other: give one pool, or pools with priorities"));
  }

  @Test
  void unknownPoolDuplicatePriorityAndDuplicatePoolAreNamed() {
    List<ConfigError> errors = errors(POOLS + """
        rules:
          - pools:
              - {pool: local, priority: 1}
              - {pool: edge, priority: 2}
              - {pool: cloud, priority: 1}
              - {pool: local, priority: 3}
        """);
    assertThat(errors).containsExactly(
        new ConfigError("rules[0].pools[1].pool", 11, "unknown pool 'edge'; pools are: local, cloud"),
        new ConfigError("rules[0].pools[2].priority", 12,
            "priority 1 is taken by pool 'local'; each pool of a rule needs its own priority"),
        new ConfigError("rules[0].pools[3].pool", 13, "pool 'local' is listed twice in this rule"));
  }

  @Test
  void badOverflowValuesAreNamed() {
    List<ConfigError> errors = errors(POOLS + """
        rules:
          - pools: [{pool: local, priority: 1}, {pool: cloud, priority: 2}]
            overflow:
              load-threshold: 1.5
              return-hold: soon
              return-rate: 0
              capacity: -3
        """);
    assertThat(errors).extracting(ConfigError::key, ConfigError::line).containsExactly(
        org.assertj.core.groups.Tuple.tuple("rules[0].overflow.load-threshold", 11),
        org.assertj.core.groups.Tuple.tuple("rules[0].overflow.return-hold", 12),
        org.assertj.core.groups.Tuple.tuple("rules[0].overflow.return-rate", 13),
        org.assertj.core.groups.Tuple.tuple("rules[0].overflow.capacity", 14));
    assertThat(errors.get(0).message()).contains("at most 1").contains("1.5");
    assertThat(errors.get(2).message()).contains("greater than 0");
  }

  @Test
  void overflowNeedsPoolsAndPriorityIsRequired() {
    List<ConfigError> errors = errors(POOLS + """
        rules:
          - {pool: local, overflow: {return-rate: 5}}
          - pools: [{pool: local}]
        """);
    assertThat(errors).extracting(ConfigError::key).containsExactly(
        "rules[0].overflow", "rules[1].pools[0].priority");
    assertThat(errors.get(0).message()).contains("needs 'pools'");
  }

  @Test
  void existingConstructorsStillBuildSinglePoolRules() {
    RuleConfig r = new RuleConfig("r", "main", List.of(), "a*", null, null, null);
    assertThat(r.prioritized()).isFalse();
    assertThat(r.pools()).isEmpty();
    assertThat(r.firstPool()).isEqualTo("main");
  }

  private static BastionConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml", name -> null);
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("expected configuration errors").isNotNull();
    return e.errors();
  }
}

package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final String FULL = """
      listeners:
        - name: mqtt
          bind: 127.0.0.1
          port: 1883
          connect-timeout: 5s
          max-packet-size: 512KiB
        - name: ws
          port: 8083
      pools:
        - name: default
          strategy: least-connections
          load-factor: 2
          bounded-load-min-connections: 10
          connect-timeout: 1500ms
          eject-after-failures: 0
          eject-for: 1m
          health:
            enabled: false
            interval: 10s
            timeout: 1s
            rise: 1
            fall: 5
          brokers:
            - host: 10.0.0.1
              port: 1883
              id: a
              weight: 3
            - host: ::1
              port: 1884
        - name: sensors
          brokers:
            - host: broker.example
              port: 1883
      rules:
        - name: sensor-rule
          pool: sensors
          listeners: [mqtt, ws]
          client-id: "sensor-*"
          client-id-regex: "^s-[0-9]+$"
        - pool: default
          username: "fleet-*"
          username-regex: "fleet-.*"
      shutdown:
        drain-deadline: 0s
      """;

  @Test
  void fullExampleParsesIntoRecords() throws Exception {
    BastionConfig c = ConfigLoader.parse(FULL, "full.yaml", name -> null);

    assertThat(c.listeners()).containsExactly(
        new ListenerConfig("mqtt", "127.0.0.1", 1883, Duration.ofSeconds(5), 512 * 1024),
        new ListenerConfig("ws", "0.0.0.0", 8083, ListenerConfig.DEFAULT_CONNECT_TIMEOUT,
            ListenerConfig.DEFAULT_MAX_PACKET_SIZE));
    assertThat(c.pool("default")).isEqualTo(new PoolConfig("default", Strategy.LEAST_CONNECTIONS,
        2.0, 10,
        List.of(new BrokerConfig("a", "10.0.0.1", 1883, 3),
            new BrokerConfig("[::1]:1884", "::1", 1884, 1)),
        new HealthConfig(false, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 5),
        Duration.ofMillis(1500), 0, Duration.ofMinutes(1)));
    assertThat(c.rules()).containsExactly(
        new RuleConfig("sensor-rule", "sensors", List.of("mqtt", "ws"), "sensor-*",
            "^s-[0-9]+$", null, null),
        new RuleConfig("rule-1", "default", List.of(), null, null, "fleet-*", "fleet-.*"));
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ZERO));
  }

  @Test
  void defaultsApplied() throws Exception {
    BastionConfig c = ConfigLoader.parse("""
        listeners:
          - name: mqtt
            port: 1883
        pools:
          - name: only
            brokers:
              - host: 127.0.0.1
                port: 1884
        """, "min.yaml", name -> null);

    assertThat(c.listeners()).containsExactly(new ListenerConfig("mqtt", "0.0.0.0", 1883,
        ListenerConfig.DEFAULT_CONNECT_TIMEOUT, ListenerConfig.DEFAULT_MAX_PACKET_SIZE));
    PoolConfig pool = c.pool("only");
    assertThat(pool).isEqualTo(new PoolConfig("only", Strategy.CLIENT_ID_HASH,
        PoolConfig.DEFAULT_LOAD_FACTOR, PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_CONNECTIONS,
        List.of(new BrokerConfig("127.0.0.1:1884", "127.0.0.1", 1884, 1)), HealthConfig.DEFAULT,
        PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
        PoolConfig.DEFAULT_EJECT_FOR));
    assertThat(c.rules()).isEmpty();
    assertThat(c.shutdown()).isEqualTo(ShutdownConfig.DEFAULT);
  }

  @Test
  void unknownKeySuggestsTheClosestKnownOne() {
    assertSingleError("""
        listeners:
          - name: mqtt
            port: 1883
            conect-timeout: 5s
        """ + POOL, "listeners[0].conect-timeout", 4, "did you mean 'connect-timeout'?");
  }

  @Test
  void unknownKeyFarFromAnyListsTheKnownOnes() {
    assertSingleError(LISTENER + POOL + "banana: 1\n", "banana", 9,
        "unknown key 'banana'; expected one of listeners, pools, rules, shutdown");
  }

  @Test
  void missingBrokerPortPointsAtTheBrokerMapping() {
    assertSingleError(LISTENER + """
        pools:
          - name: default
            brokers:
              - host: 127.0.0.1
                port: 1884
              - host: 127.0.0.2
        """, "pools[0].brokers[1].port", 9, "missing required key 'port'");
  }

  @Test
  void duplicateListenerPortNamesTheFirstListener() {
    assertSingleError("""
        listeners:
          - name: mqtt
            port: 1883
          - name: other
            bind: 127.0.0.1
            port: 1883
        """ + POOL, "listeners[1].port", 6,
        "port 1883 already used by listener 'mqtt' (bound to 0.0.0.0)");
  }

  @Test
  void portZeroMayRepeat() throws Exception {
    BastionConfig c = parse("""
        listeners:
          - name: a
            port: 0
          - name: b
            port: 0
        """ + POOL);
    assertThat(c.listeners()).hasSize(2);
  }

  @Test
  void badDurationAsksForAUnit() {
    assertSingleError(LISTENER + """
        pools:
          - name: default
            eject-for: 10
            brokers:
              - host: 127.0.0.1
                port: 1884
        """, "pools[0].eject-for", 6, "'10' has no unit; write 10s");
  }

  @Test
  void badStrategyListsTheValidOnes() {
    assertSingleError(LISTENER + """
        pools:
          - name: default
            strategy: random
            brokers:
              - host: 127.0.0.1
                port: 1884
        """, "pools[0].strategy", 6,
        "unknown strategy 'random'; valid values: client-id-hash, least-connections, round-robin");
  }

  @Test
  void ruleNamingAnUnknownPool() {
    assertSingleError(LISTENER + POOL + """
        rules:
          - pool: defualt
            listeners: [mqtt]
        """, "rules[0].pool", 10, "unknown pool 'defualt'; pools are: default");
  }

  @Test
  void ruleNamingAnUnknownListener() {
    assertSingleError(LISTENER + POOL + """
        rules:
          - pool: default
            listeners:
              - mqtt
              - tls
        """, "rules[0].listeners[1]", 13, "unknown listener 'tls'; listeners are: mqtt");
  }

  @Test
  void badRegexShowsTheReason() {
    assertSingleError(LISTENER + POOL + """
        rules:
          - pool: default
            client-id-regex: "^s-(0-9+$"
        """, "rules[0].client-id-regex", 11, "Unclosed group");
  }

  @Test
  void wrongTypesSayWhatWasExpected() {
    ConfigException e = fail("""
        listeners:
          - name: mqtt
            port: eighteen
        pools: default
        """);
    assertThat(e.errors()).containsExactly(
        new ConfigError("listeners[0].port", 3, "expected an integer, got 'eighteen'"),
        new ConfigError("pools", 4, "expected a list, got 'default'"));
  }

  @Test
  void severalErrorsAreAllReportedInFileOrder() {
    ConfigException e = fail("""
        listeners:
          - name: mqtt
            bind: 300.1.1.1
            port: 70000
        pools:
          - name: default
            load-factor: 0.5
            health:
              interval: 2s
              timeout: 2s
            brokers:
              - host: tcp://broker
                port: 1883
                weight: 0
        shutdown:
          drain-deadline: soon
        """);
    assertThat(e.errors()).extracting(ConfigError::key, ConfigError::line).containsExactly(
        org.assertj.core.groups.Tuple.tuple("listeners[0].bind", 3),
        org.assertj.core.groups.Tuple.tuple("listeners[0].port", 4),
        org.assertj.core.groups.Tuple.tuple("pools[0].load-factor", 7),
        org.assertj.core.groups.Tuple.tuple("pools[0].health.timeout", 10),
        org.assertj.core.groups.Tuple.tuple("pools[0].brokers[0].host", 12),
        org.assertj.core.groups.Tuple.tuple("pools[0].brokers[0].weight", 14),
        org.assertj.core.groups.Tuple.tuple("shutdown.drain-deadline", 16));
    assertThat(e.getMessage()).startsWith("test.yaml: 7 error(s)");
  }

  @Test
  void yamlSyntaxErrorHasItsLine() {
    ConfigException e = fail("""
        listeners:
          - name: mqtt
            port: 1883
           bad-indent: [
        """);
    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().get(0).key()).isEqualTo("(yaml)");
    assertThat(e.errors().get(0).line()).isEqualTo(4);
    assertThat(e.errors().get(0).message()).startsWith("YAML syntax error:");
  }

  @Test
  void emptyFileIsAnError() {
    assertThat(fail("").errors()).extracting(ConfigError::message)
        .containsExactly("the file is empty; it needs at least 'listeners' and 'pools'");
    assertThat(fail("# only a comment\n").errors()).hasSize(1);
  }

  @Test
  void missingSectionsAndEmptyLists() {
    ConfigException e = fail("listeners: []\n");
    assertThat(e.errors()).containsExactly(
        new ConfigError("listeners", 1, "needs at least one entry"),
        new ConfigError("pools", 1, "missing required key 'pools'"));
  }

  @Test
  void severalPoolsNeedRules() {
    assertSingleError(LISTENER + POOL + """
          - name: second
            brokers:
              - host: 127.0.0.1
                port: 1885
        """, "rules", 1, "several pools need rules to choose between them");
  }

  @Test
  void duplicateNamesAndBrokerIds() {
    ConfigException e = fail("""
        listeners:
          - name: mqtt
            port: 1883
          - name: mqtt
            port: 1884
        pools:
          - name: default
            brokers:
              - host: 127.0.0.1
                port: 1884
              - host: 127.0.0.1
                port: 1884
        """);
    assertThat(e.errors()).extracting(ConfigError::key, ConfigError::line).containsExactly(
        org.assertj.core.groups.Tuple.tuple("listeners[1].name", 4),
        org.assertj.core.groups.Tuple.tuple("pools[0].brokers[1].id", 11));
  }

  @Test
  void envReferencesAreSubstituted() throws Exception {
    Map<String, String> env = Map.of("MQTT_PORT", "2883", "BROKER", "10.1.1.1");
    BastionConfig c = ConfigLoader.parse("""
        listeners:
          - name: mqtt
            port: ${MQTT_PORT}
            bind: ${BIND:-127.0.0.1}
        pools:
          - name: default
            brokers:
              - host: ${BROKER}
                port: ${BROKER_PORT:-1884}
        """, "env.yaml", env::get);
    assertThat(c.listeners().get(0).port()).isEqualTo(2883);
    assertThat(c.listeners().get(0).bind()).isEqualTo("127.0.0.1");
    assertThat(c.pools().get(0).brokers().get(0))
        .isEqualTo(new BrokerConfig("10.1.1.1:1884", "10.1.1.1", 1884, 1));
  }

  @Test
  void unsetEnvWithoutDefaultIsAnError() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("""
        listeners:
          - name: mqtt
            port: ${MQTT_PORT}
        """ + POOL, "env.yaml", name -> null));
    assertThat(e.errors()).containsExactly(new ConfigError("listeners[0].port", 3,
        "environment variable MQTT_PORT is not set and has no default"
            + " (write ${MQTT_PORT:-default} to give one)"));
  }

  @Test
  void parseDurationUnits() {
    assertThat(ConfigLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigLoader.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(ConfigLoader.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigLoader.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigLoader.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> ConfigLoader.parseDuration("30"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write 30s");
    assertThatThrownBy(() -> ConfigLoader.parseDuration("5 sec"))
        .hasMessageContaining("unknown duration unit 'sec'");
    assertThatThrownBy(() -> ConfigLoader.parseDuration("-5s")).hasMessageContaining("negative");
    assertThatThrownBy(() -> ConfigLoader.parseDuration("99999999999999999d"))
        .hasMessageContaining("too large");
  }

  private static final String LISTENER = """
      listeners:
        - name: mqtt
          port: 1883
      """;

  private static final String POOL = """
      pools:
        - name: default
          brokers:
            - host: 127.0.0.1
              port: 1884
      """;

  private static BastionConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml", name -> null);
  }

  private static ConfigException fail(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("expected errors for:\n" + yaml).isNotNull();
    return e;
  }

  private static void assertSingleError(String yaml, String key, int line, String text) {
    ConfigException e = fail(yaml);
    assertThat(e.errors()).as(e.getMessage()).hasSize(1);
    ConfigError error = e.errors().get(0);
    assertThat(error.key()).isEqualTo(key);
    assertThat(error.line()).isEqualTo(line);
    assertThat(error.message()).contains(text);
  }
}

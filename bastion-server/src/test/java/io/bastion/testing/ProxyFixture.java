package io.bastion.testing;

import io.bastion.Bastion;
import io.bastion.config.AdminConfig;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.routing.RendezvousBalancer;
import io.bastion.routing.StableHash;
import io.bastion.routing.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Real HiveMQ brokers with a Bastion in front, on free loopback ports; everything it started stops
 * on {@link #close()}.
 */
public final class ProxyFixture implements AutoCloseable {

  public static final String POOL = "brokers";
  public static final String LISTENER = "mqtt";

  private final Path dir;
  private final List<EmbeddedBroker> brokers = new ArrayList<>();
  private BastionConfig config;
  private Bastion bastion;

  private ProxyFixture(Path dir) {
    this.dir = dir;
  }

  public static ProxyFixture start(int brokerCount) throws Exception {
    return start(brokerCount, ListenerConfig.DEFAULT_CONNECT_TIMEOUT, ListenerConfig.DEFAULT_MAX_PACKET_SIZE);
  }

  public static ProxyFixture start(int brokerCount, Duration connectTimeout, int maxPacketSize)
      throws Exception {
    ProxyFixture f = new ProxyFixture(Files.createTempDirectory("bastion-it"));
    try {
      for (int i = 1; i <= brokerCount; i++) {
        f.brokers.add(EmbeddedBroker.start("broker-" + i, f.dir, 0));
      }
      f.config = config(f.brokers, connectTimeout, maxPacketSize);
      f.bastion = Bastion.start(f.config);
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  /**
   * Brokers, then a Bastion configured from YAML that {@code yaml} writes, typically with {@link
   * #brokersYaml}; relative file paths in it resolve against {@code filesDir}.
   */
  public static ProxyFixture startYaml(int brokerCount, Path filesDir,
      java.util.function.Function<ProxyFixture, String> yaml) throws Exception {
    ProxyFixture f = new ProxyFixture(Files.createTempDirectory("bastion-it"));
    try {
      for (int i = 1; i <= brokerCount; i++) {
        f.brokers.add(EmbeddedBroker.start("broker-" + i, f.dir, 0));
      }
      f.config = io.bastion.config.ConfigLoader.parse(yaml.apply(f), "test.yaml", name -> null, filesDir);
      f.bastion = Bastion.start(f.config);
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  /**
   * Brokers with a Bastion configured from the fixture's own YAML ({@link #configYaml}) followed by
   * {@code extraYaml}, e.g. a {@code security:} section.
   */
  public static ProxyFixture startWithYaml(int brokerCount, String extraYaml) throws Exception {
    return startYaml(brokerCount, Path.of("."), f -> f.configYaml(0) + extraYaml);
  }

  /** The fixture's configuration with {@code extraYaml} appended, parsed as a file would be. */
  public BastionConfig parse(String extraYaml) throws io.bastion.config.ConfigException {
    return io.bastion.config.ConfigLoader.parse(configYaml(0) + extraYaml, "test", name -> null);
  }

  /** The brokers as YAML list entries, each line starting with {@code indent}. */
  public String brokersYaml(String indent) {
    StringBuilder y = new StringBuilder();
    for (EmbeddedBroker b : brokers) {
      y.append(indent).append("- { id: ").append(b.name()).append(", host: 127.0.0.1, port: ")
          .append(b.port()).append(" }\n");
    }
    return y.toString();
  }

  static BastionConfig config(List<EmbeddedBroker> brokers, Duration connectTimeout, int maxPacketSize) {
    List<BrokerConfig> backends =
        brokers.stream().map(b -> new BrokerConfig(b.name(), EmbeddedBroker.HOST, b.port(), 1)).toList();
    PoolConfig pool =
        new PoolConfig(POOL, Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
            PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, backends,
            new HealthConfig(true, Duration.ofMillis(500), Duration.ofMillis(400), 1, 2),
            Duration.ofSeconds(2), 3, Duration.ofSeconds(30));
    ListenerConfig listener =
        new ListenerConfig(LISTENER, "127.0.0.1", 0, connectTimeout, maxPacketSize);
    return new BastionConfig(List.of(listener), List.of(pool), List.of(),
        new ShutdownConfig(Duration.ofSeconds(1)), new AdminConfig(true, "127.0.0.1", 0, null, 50));
  }

  /** The same configuration as YAML, for a second Bastion process. */
  public String configYaml(int port) {
    StringBuilder y = new StringBuilder();
    y.append("listeners:\n  - name: ").append(LISTENER).append("\n    bind: 127.0.0.1\n    port: ")
        .append(port).append("\npools:\n  - name: ").append(POOL).append("\n    strategy: client-id-hash\n")
        .append("    health:\n      interval: 500ms\n      timeout: 400ms\n      rise: 1\n      fall: 2\n")
        .append("    brokers:\n");
    for (EmbeddedBroker b : brokers) {
      y.append("      - id: ").append(b.name()).append("\n        host: 127.0.0.1\n        port: ")
          .append(b.port()).append('\n');
    }
    y.append("shutdown:\n  drain-deadline: 1s\nadmin:\n  port: 0\n");
    return y.toString();
  }

  public Bastion bastion() {
    return bastion;
  }

  public int port() {
    return bastion.port(LISTENER);
  }

  public List<EmbeddedBroker> brokers() {
    return brokers;
  }

  public EmbeddedBroker broker(int index) {
    return brokers.get(index);
  }

  /** Brings a stopped broker back as a new instance on the same port. */
  public EmbeddedBroker restart(int index) {
    EmbeddedBroker fresh = brokers.get(index).restart();
    brokers.set(index, fresh);
    return fresh;
  }

  public io.bastion.backend.Broker backend(int index) {
    return bastion.backends().pool(POOL).brokers().get(index);
  }

  /** The broker a client id belongs to when all brokers are up, computed independently. */
  public int homeOf(String clientId) {
    return hashOrder(clientId).get(0);
  }

  /** Indexes of brokers in the client id's rendezvous order. */
  public List<Integer> hashOrder(String clientId) {
    List<IndexTarget> targets = new ArrayList<>();
    for (int i = 0; i < brokers.size(); i++) {
      targets.add(new IndexTarget(i, brokers.get(i).name()));
    }
    return new RendezvousBalancer(0, 0).order(clientId, targets).stream().map(IndexTarget::index).toList();
  }

  /** A client id whose home broker is the same as {@code other}'s (the brokers are not clustered). */
  public String neighbourOf(String other, String prefix) {
    int home = homeOf(other);
    for (int i = 0; ; i++) {
      String id = prefix + i;
      if (homeOf(id) == home) {
        return id;
      }
    }
  }

  /** Index of the broker on which the client id has connected, or -1. */
  public int brokerHolding(String clientId) {
    for (int i = 0; i < brokers.size(); i++) {
      if (brokers.get(i).isConnected(clientId)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    if (bastion != null) {
      bastion.close();
    }
    CompletableFuture.allOf(
            brokers.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new))
        .join();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }

  private record IndexTarget(int index, String id) implements Target {
    @Override
    public long idHash() {
      return StableHash.of(id);
    }

    @Override
    public int weight() {
      return 1;
    }

    @Override
    public int load() {
      return 0;
    }
  }
}

package io.bastion.config;

import java.time.Duration;
import java.util.List;

/**
 * A group of interchangeable brokers and how sessions are spread over them.
 *
 * @param loadFactor bounded load for {@code client-id-hash}: no broker takes more than this many
 *     times its fair share of the pool's sessions, once the brokers hold {@code
 *     boundedLoadMinAverage} sessions each on average; 0 turns the bound off
 * @param connectTimeout how long opening a broker connection and receiving its first reply may
 *     take before the next broker is tried
 * @param ejectAfterFailures consecutive failed connects that take a broker out of rotation
 *     (passive health); 0 turns passive ejection off
 * @param ejectFor how long an ejected broker stays out before it is tried again
 * @param proxyProtocolOut whether each broker connection starts with a PROXY protocol v2 header
 *     carrying the client's address
 * @param tls TLS to the brokers, or null for plain TCP
 */
public record PoolConfig(
    String name,
    Strategy strategy,
    double loadFactor,
    int boundedLoadMinAverage,
    List<BrokerConfig> brokers,
    HealthConfig health,
    Duration connectTimeout,
    int ejectAfterFailures,
    Duration ejectFor,
    boolean proxyProtocolOut,
    BrokerTlsConfig tls) {

  public static final double DEFAULT_LOAD_FACTOR = 1.25;
  public static final int DEFAULT_BOUNDED_LOAD_MIN_AVERAGE = 200;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final int DEFAULT_EJECT_AFTER_FAILURES = 3;
  public static final Duration DEFAULT_EJECT_FOR = Duration.ofSeconds(10);

  public PoolConfig {
    brokers = List.copyOf(brokers);
  }

  /** A pool of plain TCP brokers without PROXY protocol. */
  public PoolConfig(String name, Strategy strategy, double loadFactor, int boundedLoadMinAverage,
      List<BrokerConfig> brokers, HealthConfig health, Duration connectTimeout,
      int ejectAfterFailures, Duration ejectFor) {
    this(name, strategy, loadFactor, boundedLoadMinAverage, brokers, health, connectTimeout,
        ejectAfterFailures, ejectFor, false, null);
  }
}

package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a pool learns brokers besides its static {@code brokers} list. Each source is optional;
 * their answers are merged by broker id.
 *
 * @param dns DNS records to follow, or null
 * @param file a file of brokers to watch, or null
 * @param registration brokers that announce themselves on the admin API
 */
public record DiscoveryConfig(Dns dns, BrokerFile file, Registration registration) {

  public static final DiscoveryConfig NONE = new DiscoveryConfig(null, null, Registration.OFF);

  public boolean any() {
    return dns != null || file != null || registration.enabled();
  }

  /** DNS record types Bastion follows. */
  public enum RecordType {
    A,
    AAAA,
    SRV
  }

  /**
   * @param port broker port for A and AAAA records (SRV records carry their own)
   * @param minTtl the record TTL is clamped to [minTtl, maxTtl] to pick the next refresh
   * @param resolverHost DNS server to ask, or null for the system's resolvers
   */
  public record Dns(String name, RecordType type, int port, Duration minTtl, Duration maxTtl,
      String resolverHost, int resolverPort) {

    public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofMinutes(5);
  }

  /** A YAML or JSON file listing brokers, as {@code pools[*].brokers} does. */
  public record BrokerFile(Path path) {}

  /**
   * @param lease how long a registration lasts without renewal, unless the broker asks for less
   */
  public record Registration(boolean enabled, Duration lease) {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Registration OFF = new Registration(false, DEFAULT_LEASE);
  }
}

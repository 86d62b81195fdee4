package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Reads {@code pools[*].discovery}. */
final class DiscoverySection {

  static final List<String> KEYS = List.of("dns", "file", "registration");
  private static final List<String> DNS_KEYS =
      List.of("name", "type", "port", "min-ttl", "max-ttl", "resolver");
  private static final List<String> FILE_KEYS = List.of("path");
  private static final List<String> REGISTRATION_KEYS = List.of("enabled", "lease");

  private DiscoverySection() {}

  static DiscoveryConfig read(MappingReader r) {
    if (r == null) {
      return DiscoveryConfig.NONE;
    }
    return new DiscoveryConfig(
        dns(r.mapping("dns", DNS_KEYS)),
        file(r.mapping("file", FILE_KEYS)),
        registration(r.mapping("registration", REGISTRATION_KEYS)));
  }

  private static DiscoveryConfig.Dns dns(MappingReader r) {
    if (r == null) {
      return null;
    }
    String name = r.requiredString("name");
    DiscoveryConfig.RecordType type =
        r.value("type", DiscoveryConfig.RecordType.SRV, "A, AAAA or SRV", DiscoverySection::type);
    int port = 0;
    if (type == DiscoveryConfig.RecordType.SRV) {
      if (r.has("port")) {
        r.error("port", "SRV records carry their own port; 'port' is for A and AAAA records");
      }
    } else {
      Integer p = r.requiredInteger("port", 1, 65535);
      port = p == null ? 0 : p;
    }
    int before = r.errorCount();
    Duration min = r.duration("min-ttl", DiscoveryConfig.Dns.DEFAULT_MIN_TTL, true);
    Duration max = r.duration("max-ttl", DiscoveryConfig.Dns.DEFAULT_MAX_TTL, true);
    if (r.errorCount() == before && min.compareTo(max) > 0) {
      r.error("min-ttl", "min-ttl (" + Units.format(min) + ") must not exceed max-ttl ("
          + Units.format(max) + ")");
    }
    String[] resolver = r.value("resolver", null, "host:port", DiscoverySection::resolver);
    return new DiscoveryConfig.Dns(name, type, port, min, max,
        resolver == null ? null : resolver[0],
        resolver == null ? 0 : Integer.parseInt(resolver[1]));
  }

  private static DiscoveryConfig.BrokerFile file(MappingReader r) {
    if (r == null) {
      return null;
    }
    Path path = r.requiredValue("path", "a .yaml, .yml or .json file", DiscoverySection::path);
    return new DiscoveryConfig.BrokerFile(path);
  }

  private static DiscoveryConfig.Registration registration(MappingReader r) {
    if (r == null) {
      return DiscoveryConfig.Registration.OFF;
    }
    return new DiscoveryConfig.Registration(r.bool("enabled", true),
        r.duration("lease", DiscoveryConfig.Registration.DEFAULT_LEASE, true));
  }

  private static DiscoveryConfig.RecordType type(String text) {
    try {
      return DiscoveryConfig.RecordType.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown record type '" + text + "'; valid values: A, AAAA, SRV");
    }
  }

  private static String[] resolver(String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
    }
    return new String[] {host, Integer.toString(port)};
  }

  private static Path path(String text) {
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (!(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))) {
      throw new IllegalArgumentException("the format follows the extension: expected a .yaml, "
          + ".yml or .json file, got '" + text + "'");
    }
    return Path.of(t);
  }
}

package io.bastion.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code pools[*].brokers[*]}; ids must be unique in the pool since hashing uses them. */
final class BrokerSection {

  static final List<String> KEYS = List.of("host", "port", "id", "weight");

  private BrokerSection() {}

  static List<BrokerConfig> read(List<MappingReader> items) {
    List<BrokerConfig> brokers = new ArrayList<>();
    Map<String, MappingReader> byId = new HashMap<>();
    for (MappingReader r : items) {
      String host = r.requiredValue("host", "a host name", BrokerSection::host);
      Integer port = r.requiredInteger("port", 1, 65535);
      String id = r.has("id") ? r.requiredString("id") : defaultId(host, port);
      if (id != null) {
        MappingReader first = byId.putIfAbsent(id, r);
        if (first != null) {
          r.error("id", "duplicate broker id '" + id + "' in this pool (also " + first.path()
              + "); give each broker a distinct id");
        }
      }
      brokers.add(new BrokerConfig(
          id, host, port == null ? 0 : port, r.integer("weight", 1, 1, 1000)));
    }
    return brokers;
  }

  /** {@code host:port}, bracketing IPv6 literals so the id stays unambiguous. */
  private static String defaultId(String host, Integer port) {
    if (host == null || port == null) {
      return null;
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String host(String text) {
    String host = text.trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    // a common slip is writing a URL or host:port here
    if (host.contains("/") || host.chars().anyMatch(Character::isWhitespace)
        || (host.indexOf(':') >= 0 && !IpLiterals.isIpv6(host))) {
      throw new IllegalArgumentException("expected a host name or IP address (port goes in "
          + "'port'), got '" + text + "'");
    }
    return host;
  }
}

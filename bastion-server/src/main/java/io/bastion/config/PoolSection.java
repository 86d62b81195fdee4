package io.bastion.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads {@code pools[*]}. */
final class PoolSection {

  static final List<String> KEYS = List.of("name", "strategy", "load-factor",
      "bounded-load-min-average", "connect-timeout", "eject-after-failures", "eject-for",
      "health", "brokers", "proxy-protocol-out", "tls");

  private PoolSection() {}

  static List<PoolConfig> read(List<MappingReader> items, java.nio.file.Path baseDir,
      java.time.Instant now) {
    List<PoolConfig> pools = new ArrayList<>();
    Map<String, MappingReader> byName = new HashMap<>();
    for (MappingReader r : items) {
      String name = r.requiredString("name");
      if (name != null) {
        MappingReader first = byName.putIfAbsent(name, r);
        if (first != null) {
          r.error("name", "duplicate pool name '" + name + "' (first at line "
              + first.line("name") + ")");
        }
      }
      pools.add(new PoolConfig(
          name,
          r.value("strategy", Strategy.CLIENT_ID_HASH, "a strategy name", PoolSection::strategy),
          r.value("load-factor", PoolConfig.DEFAULT_LOAD_FACTOR, "a number",
              PoolSection::loadFactor),
          r.integer("bounded-load-min-average",
              PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, 0, Integer.MAX_VALUE),
          BrokerSection.read(r.mappings("brokers", BrokerSection.KEYS, true)),
          HealthSection.read(r.mapping("health", HealthSection.KEYS)),
          r.duration("connect-timeout", PoolConfig.DEFAULT_CONNECT_TIMEOUT, true),
          r.integer("eject-after-failures", PoolConfig.DEFAULT_EJECT_AFTER_FAILURES, 0,
              Integer.MAX_VALUE),
          r.duration("eject-for", PoolConfig.DEFAULT_EJECT_FOR, true),
          r.bool("proxy-protocol-out", false),
          TlsSection.readBroker(r.mapping("tls", TlsSection.BROKER_KEYS), baseDir, now)));
    }
    return pools;
  }

  private static Strategy strategy(String text) {
    Strategy s = Strategy.fromConfigName(text.trim());
    if (s == null) {
      throw new IllegalArgumentException("unknown strategy '" + text + "'; valid values: "
          + Arrays.stream(Strategy.values()).map(Strategy::configName)
              .collect(Collectors.joining(", ")));
    }
    return s;
  }

  private static double loadFactor(String text) {
    double f;
    try {
      f = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }
    // below 1 no broker could ever take its fair share, so values in (0, 1) are mistakes
    if (!(f == 0 || (f >= 1.0 && Double.isFinite(f)))) {
      throw new IllegalArgumentException("must be 0 (no bound) or at least 1.0, got " + text);
    }
    return f;
  }
}

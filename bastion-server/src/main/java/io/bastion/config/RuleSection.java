package io.bastion.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Reads {@code rules[*]} and checks every pool and listener they name exists. */
final class RuleSection {

  static final List<String> KEYS = List.of("name", "pool", "listeners", "client-id",
      "client-id-regex", "username", "username-regex", "sni", "cert-cn", "pools", "overflow");
  static final List<String> POOL_KEYS = List.of("pool", "priority", "capacity");
  static final List<String> OVERFLOW_KEYS =
      List.of("load-threshold", "return-hold", "return-rate", "capacity");

  private RuleSection() {}

  static List<RuleConfig> read(MappingReader root, List<MappingReader> items,
      List<ListenerConfig> listeners, List<PoolConfig> pools) {
    Set<String> poolNames = names(pools.stream().map(PoolConfig::name).toList());
    Set<String> listenerNames = names(listeners.stream().map(ListenerConfig::name).toList());
    List<RuleConfig> rules = new ArrayList<>();
    for (MappingReader r : items) {
      String name = r.string("name", "rule-" + r.index());
      String pool = null;
      List<PriorityPoolConfig> priorities = List.of();
      OverflowConfig overflow = null;
      if (r.has("pools")) {
        if (r.has("pool")) {
          r.error("pools", "'pool' and 'pools' exclude each other: give one pool, or pools with "
              + "priorities");
        }
        priorities = priorityPools(r, poolNames);
        overflow = overflow(r.mapping("overflow", OVERFLOW_KEYS));
      } else {
        pool = r.requiredString("pool");
        if (pool != null && !poolNames.contains(pool)) {
          r.error("pool", "unknown pool '" + pool + "'; pools are: " + String.join(", ", poolNames));
        }
        if (r.has("overflow")) {
          r.error("overflow", "overflow needs 'pools' (pools with priorities), not one 'pool'");
        }
      }
      List<String> ruleListeners = new ArrayList<>();
      for (MappingReader.Item item : r.strings("listeners")) {
        if (!listenerNames.contains(item.value())) {
          r.error(item, "unknown listener '" + item.value() + "'; listeners are: "
              + String.join(", ", listenerNames));
        }
        ruleListeners.add(item.value());
      }
      rules.add(new RuleConfig(name, pool, ruleListeners,
          r.string("client-id", null),
          r.value("client-id-regex", null, "a regular expression", RuleSection::regex),
          r.string("username", null),
          r.value("username-regex", null, "a regular expression", RuleSection::regex),
          r.string("sni", null),
          r.string("cert-cn", null),
          priorities,
          overflow));
    }
    if (rules.isEmpty() && pools.size() > 1) {
      root.error("rules", "several pools need rules to choose between them (pools: "
          + String.join(", ", poolNames) + ")");
    }
    return rules;
  }

  /** {@code pools: [{pool: local, priority: 1}, ...]}: each pool and each priority once. */
  private static List<PriorityPoolConfig> priorityPools(MappingReader rule, Set<String> poolNames) {
    List<PriorityPoolConfig> result = new ArrayList<>();
    Map<Integer, String> byPriority = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (MappingReader p : rule.mappings("pools", POOL_KEYS, true)) {
      String name = p.requiredString("pool");
      Integer priority = p.requiredInteger("priority", 1, 1000);
      int capacity = p.integer("capacity", 0, 1, Integer.MAX_VALUE);
      if (name != null && !poolNames.contains(name)) {
        p.error("pool", "unknown pool '" + name + "'; pools are: " + String.join(", ", poolNames));
      } else if (name != null && !seen.add(name)) {
        p.error("pool", "pool '" + name + "' is listed twice in this rule");
      }
      if (priority != null) {
        String other = byPriority.putIfAbsent(priority, name);
        if (other != null) {
          p.error("priority", "priority " + priority + " is taken by pool '" + other
              + "'; each pool of a rule needs its own priority");
        }
      }
      if (name != null && priority != null) {
        result.add(new PriorityPoolConfig(name, priority, capacity));
      }
    }
    return result;
  }

  private static OverflowConfig overflow(MappingReader r) {
    if (r == null) {
      return OverflowConfig.DEFAULT;
    }
    double threshold = r.value("load-threshold", OverflowConfig.DEFAULT_LOAD_THRESHOLD,
        "a number above 0 and at most 1", RuleSection::threshold);
    Duration hold = r.duration("return-hold", OverflowConfig.DEFAULT_RETURN_HOLD, false);
    double rate = r.value("return-rate", OverflowConfig.DEFAULT_RETURN_RATE,
        "sessions per second above 0", RuleSection::positive);
    int capacity = r.integer("capacity", 0, 1, Integer.MAX_VALUE);
    return new OverflowConfig(threshold, hold, rate, capacity);
  }

  private static double threshold(String text) {
    double t = number(text);
    if (!(t > 0 && t <= 1)) {
      throw new IllegalArgumentException("the share of capacity at which a broker counts as full "
          + "must be above 0 and at most 1 (0.9 is 90%), got " + text);
    }
    return t;
  }

  private static double positive(String text) {
    double v = number(text);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("must be greater than 0, got " + text);
    }
    return v;
  }

  private static double number(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: '" + text + "'");
    }
  }

  private static String regex(String text) {
    try {
      Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression: " + e.getDescription()
          + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "") + " in '" + text + "'");
    }
    return text;
  }

  private static Set<String> names(List<String> names) {
    // insertion order, so messages list them as the file does
    return names.stream().filter(Objects::nonNull)
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}

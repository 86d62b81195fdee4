package io.bastion.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Reads {@code rules[*]} and checks every pool and listener they name exists. */
final class RuleSection {

  static final List<String> KEYS = List.of("name", "pool", "listeners", "client-id",
      "client-id-regex", "username", "username-regex", "sni", "cert-cn");

  private RuleSection() {}

  static List<RuleConfig> read(MappingReader root, List<MappingReader> items,
      List<ListenerConfig> listeners, List<PoolConfig> pools) {
    Set<String> poolNames = names(pools.stream().map(PoolConfig::name).toList());
    Set<String> listenerNames = names(listeners.stream().map(ListenerConfig::name).toList());
    List<RuleConfig> rules = new ArrayList<>();
    for (MappingReader r : items) {
      String name = r.string("name", "rule-" + r.index());
      String pool = r.requiredString("pool");
      if (pool != null && !poolNames.contains(pool)) {
        r.error("pool", "unknown pool '" + pool + "'; pools are: " + String.join(", ", poolNames));
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
          r.string("cert-cn", null)));
    }
    if (rules.isEmpty() && pools.size() > 1) {
      root.error("rules", "several pools need rules to choose between them (pools: "
          + String.join(", ", poolNames) + ")");
    }
    return rules;
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

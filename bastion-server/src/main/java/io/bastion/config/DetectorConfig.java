package io.bastion.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One rule detector's settings ({@code detection.rules.<name>}).
 *
 * @param limits the rule's thresholds by key (see {@link DetectorCatalog}); every key present
 * @param allowed usernames, certificate names or groups the rule never flags (wildcard-scan)
 */
public record DetectorConfig(
    String name,
    boolean enabled,
    DetectionMode mode,
    DetectorAction action,
    Map<String, Double> limits,
    List<String> allowed) {

  public DetectorConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(action, "action");
    limits = Map.copyOf(limits);
    allowed = List.copyOf(allowed);
  }

  /** A threshold; the catalogue guarantees every key of the rule is present. */
  public double limit(String key) {
    Double v = limits.get(key);
    if (v == null) {
      throw new IllegalArgumentException("rule " + name + " has no limit " + key);
    }
    return v;
  }

  public boolean enforcing() {
    return mode == DetectionMode.ENFORCE;
  }
}

package io.bastion.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Intrusion detection settings ({@code detection:}).
 *
 * @param enabled whether features are counted and detectors run at all
 * @param window how long each feature window lasts before it is closed and judged
 * @param model the anomaly model's settings
 * @param cohorts how clients are grouped for the model, first match wins; others are "default"
 * @param rules every rule detector by name, defaults filled in (see {@link DetectorCatalog})
 * @param response block times and throttling
 */
public record DetectionConfig(
    boolean enabled,
    Duration window,
    ModelConfig model,
    List<CohortConfig> cohorts,
    Map<String, DetectorConfig> rules,
    ResponseConfig response) {

  public static final DetectionConfig DEFAULT =
      new DetectionConfig(true, Duration.ofSeconds(10), ModelConfig.defaults());

  /** Detection with default rules, no cohorts and default responses. */
  public DetectionConfig(boolean enabled, Duration window, ModelConfig model) {
    this(enabled, window, model, List.of(), DetectorCatalog.defaults(), ResponseConfig.DEFAULT);
  }

  public DetectionConfig {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(response, "response");
    cohorts = List.copyOf(cohorts);
    rules = Map.copyOf(rules);
  }

  /** A rule's settings (defaults when the map lacks it). */
  public DetectorConfig rule(String name) {
    DetectorConfig c = rules.get(name);
    return c != null ? c : DetectorCatalog.defaults().get(name);
  }
}

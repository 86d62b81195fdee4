package io.bastion.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Intrusion detection settings ({@code detection:}).
 *
 * @param enabled whether features are counted and detectors run at all
 * @param window how long each feature window lasts before it is closed and judged
 * @param model the anomaly model's settings
 */
public record DetectionConfig(boolean enabled, Duration window, ModelConfig model) {

  public static final DetectionConfig DEFAULT =
      new DetectionConfig(true, Duration.ofSeconds(10), ModelConfig.defaults());

  public DetectionConfig {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(model, "model");
  }
}

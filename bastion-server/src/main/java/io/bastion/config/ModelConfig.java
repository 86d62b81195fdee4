package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The anomaly model's settings ({@code detection.model}).
 *
 * @param mode {@code observe} by default: verdicts are reported, nobody is acted on
 * @param trees trees per cohort forest
 * @param sampleSize points each tree keeps
 * @param warmUpWindows windows a cohort model must see before it judges
 * @param votes flagged windows needed among the last {@code voteWindows} for a verdict
 * @param checkpointDir where model state is saved; null for no checkpoints
 * @param checkpointInterval how often model state is saved
 */
public record ModelConfig(
    boolean enabled,
    DetectionMode mode,
    int trees,
    int sampleSize,
    int warmUpWindows,
    int votes,
    int voteWindows,
    Path checkpointDir,
    Duration checkpointInterval) {

  public static ModelConfig defaults() {
    return new ModelConfig(true, DetectionMode.OBSERVE, 30, 256, 90, 3, 5, null, Duration.ofMinutes(5));
  }
}

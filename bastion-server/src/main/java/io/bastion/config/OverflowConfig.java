package io.bastion.config;

import java.time.Duration;

/**
 * When a rule's clients leave a pool for the next one, and how they come back.
 *
 * @param loadThreshold a broker counts as full from this share of its capacity (connections /
 *     capacity); a pool overflows when every broker that takes sessions is full
 * @param returnHold how long a better pool must stay up before sessions placed on worse pools are
 *     moved back to it
 * @param returnRate sessions moved back per second
 * @param capacity the most sessions one broker takes where neither the broker nor its pool entry
 *     says; 0: unknown, such a broker never counts as full
 */
public record OverflowConfig(
    double loadThreshold, Duration returnHold, double returnRate, int capacity) {

  public static final double DEFAULT_LOAD_THRESHOLD = 0.9;
  public static final Duration DEFAULT_RETURN_HOLD = Duration.ofSeconds(30);
  public static final double DEFAULT_RETURN_RATE = 10;

  public static final OverflowConfig DEFAULT =
      new OverflowConfig(DEFAULT_LOAD_THRESHOLD, DEFAULT_RETURN_HOLD, DEFAULT_RETURN_RATE, 0);
}

package io.bastion.config;

/**
 * A token bucket: {@code perSecond} tokens flow in each second up to {@code burst}. A rate of 0
 * means no limit.
 */
public record RateConfig(double perSecond, double burst) {

  public static final RateConfig OFF = new RateConfig(0, 0);

  public boolean enabled() {
    return perSecond > 0;
  }
}

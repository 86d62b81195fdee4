package io.bastion.config;

/** The strongest response an enforcing detector asks for (observe mode only reports). */
public enum DetectorAction {
  THROTTLE,
  DENY,
  BLOCK;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

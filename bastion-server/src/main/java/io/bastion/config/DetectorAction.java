package io.bastion.config;

/**
 * The strongest response an enforcing detector asks for (observe mode only reports). {@link #GUARD}
 * fits username rules only: logins for the username are refused from client ids and addresses that
 * never logged in as it, so the owner keeps working where a block would lock it out.
 */
public enum DetectorAction {
  THROTTLE,
  DENY,
  GUARD,
  BLOCK;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

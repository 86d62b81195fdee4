package io.bastion.routing;

/** A pool as priority routing sees it. */
public enum PoolState {
  /** Has a broker that takes new sessions and is below the load threshold. */
  UP,
  /** Every broker that takes new sessions is at or above the load threshold. */
  FULL,
  /** No broker takes new sessions. */
  DOWN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

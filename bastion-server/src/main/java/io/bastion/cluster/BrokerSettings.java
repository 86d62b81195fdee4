package io.bastion.cluster;

/**
 * An operator's settings for a broker that every node applies: disabled (no new sessions, its
 * sessions stay) and the weight that overrides the configured one (0: the configured weight).
 */
record BrokerSettings(String pool, String broker, boolean disabled, int weight, long version,
    String node) implements Versioned {

  private static final long serialVersionUID = 1L;
}

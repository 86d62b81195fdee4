package io.bastion.cluster;

/** An operator's decision about a broker that every node applies: draining or not, at what rate. */
record BrokerAdminState(String pool, String broker, boolean draining, double rate, long version,
    String node) implements Versioned {

  private static final long serialVersionUID = 1L;

  static String key(String pool, String broker) {
    return pool + "/" + broker;
  }
}

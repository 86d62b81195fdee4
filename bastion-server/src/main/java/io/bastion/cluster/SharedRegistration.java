package io.bastion.cluster;

/**
 * A broker's registration (from the registration API of any node) with its lease, as members
 * share it; a deregistration is a tombstone.
 *
 * @param expires end of the lease, epoch milliseconds
 * @param connections reported connections, or -1 when the broker reported none
 */
record SharedRegistration(String pool, String id, String host, int port, int weight, long expires,
    int connections, int capacity, long version, String node, boolean removed) implements Versioned {

  private static final long serialVersionUID = 1L;

  String key() {
    return pool + "/" + id;
  }
}

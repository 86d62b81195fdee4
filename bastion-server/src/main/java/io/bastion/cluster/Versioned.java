package io.bastion.cluster;

import java.io.Serializable;

/**
 * A shared value that knows its version: the newest wins everywhere, in concurrent writes and
 * when the halves of a split cluster merge. Versions are microseconds of the writer's clock; the
 * writer's node id breaks ties so every member picks the same winner.
 */
interface Versioned extends Serializable {

  long version();

  String node();

  static boolean newer(Versioned a, Versioned b) {
    if (b == null) {
      return true;
    }
    return a.version() != b.version() ? a.version() > b.version() : a.node().compareTo(b.node()) > 0;
  }
}

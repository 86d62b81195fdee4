package io.bastion.cluster;

import io.bastion.config.AccessEntryConfig.Kind;

/**
 * A blocklist entry as members share it. A removal is a tombstone with a newer version, so that
 * an old copy on the other side of a split cannot bring the entry back.
 *
 * @param expires epoch milliseconds, 0 for never
 */
record SharedBlock(String kind, String value, String reason, String source, long expires,
    long version, String node, boolean tombstone) implements Versioned {

  private static final long serialVersionUID = 1L;

  static String key(Kind kind, String value) {
    return kind.key() + " " + value;
  }

  String key() {
    return kind + " " + value;
  }
}

package io.bastion.backend;

import java.util.Locale;

/** Where a pool learned of a broker. */
public enum BrokerSource {
  /** The pool's {@code brokers} list in the configuration. */
  STATIC,
  /** Added on the admin API until the next reload. */
  ADMIN,
  DNS,
  FILE,
  /** Announced itself on the admin API with a lease. */
  REGISTERED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Discovered brokers are kept across reloads; the source that found them owns them. */
  public boolean discovered() {
    return this == DNS || this == FILE || this == REGISTERED;
  }
}

package io.bastion.config;

import java.time.Instant;

/**
 * One block or allow list entry from the configuration.
 *
 * @param kind what {@code value} names
 * @param value an IP or CIDR, a client id (exact, or a glob with {@code *} and {@code ?}), a
 *     username or a certificate's SHA-256 fingerprint (hex)
 * @param expires when the entry stops applying, or null for never
 */
public record AccessEntryConfig(Kind kind, String value, String reason, Instant expires) {

  /** What an entry matches on, with its config key. */
  public enum Kind {
    IP("ip"),
    CLIENT_ID("client-id"),
    USERNAME("username"),
    CERTIFICATE("certificate");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    /** The kind named by a config key or API field, or null. */
    public static Kind ofKey(String key) {
      for (Kind k : values()) {
        if (k.key.equals(key)) {
          return k;
        }
      }
      return null;
    }
  }
}

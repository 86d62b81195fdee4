package io.bastion.security;

import io.bastion.config.AccessEntryConfig;
import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.Cidr;
import io.bastion.routing.Glob;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * A list of IP networks, client ids (exact or glob), usernames and certificate fingerprints, each
 * with a reason and an optional expiry. The same structure serves the blocklist and the allowlist.
 * Lookups cost one trie walk for the address (O(prefix length)) and one hash lookup per other
 * field, plus one regular expression per client id glob.
 *
 * <p>Entries come from the configuration (source {@code config}, replaced on reload) or at run time
 * from the admin API and detectors (kept across reloads). Listeners hear of every change.
 */
public final class Blocklist {

  public static final String CONFIG = "config";

  /**
   * One entry.
   *
   * @param value normalised: CIDR in canonical form, fingerprint as lower-case hex
   * @param expires null for never
   * @param source who added it: {@code config}, {@code api}, a detector's name
   */
  public record Entry(Kind kind, String value, String reason, Instant expires, String source, Instant added) {

    public boolean expired(Instant now) {
      return expires != null && !now.isBefore(expires);
    }

    boolean isGlob() {
      return kind == Kind.CLIENT_ID && (value.indexOf('*') >= 0 || value.indexOf('?') >= 0);
    }
  }

  /** Hears of entries added and removed (on the thread that changed the list). */
  public interface Listener {
    void added(Entry entry);

    default void removed(Entry entry) {}
  }

  private record Key(Kind kind, String value) {}

  private record GlobEntry(Pattern pattern, Entry entry) {}

  private final String name;
  private final Clock clock;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Key, Entry> entries = new LinkedHashMap<>();
  private final IpTrie<Entry> networks = new IpTrie<>();
  private final Map<String, Entry> clientIds = new HashMap<>();
  private final List<GlobEntry> clientIdGlobs = new ArrayList<>();
  private final Map<String, Entry> usernames = new HashMap<>();
  private final Map<String, Entry> certificates = new HashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public Blocklist(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** "blocklist" or "allowlist": for messages. */
  public String name() {
    return name;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Adds an entry, replacing one of the same kind and value.
   *
   * @throws IllegalArgumentException when the value is not valid for its kind
   */
  public Entry add(Kind kind, String value, String reason, Instant expires, String source) {
    Entry e = new Entry(kind, normalise(kind, value), reason == null ? "" : reason, expires, source,
        clock.instant());
    lock.writeLock().lock();
    try {
      Entry old = entries.remove(new Key(kind, e.value()));
      if (old != null) {
        unindex(old);
      }
      entries.put(new Key(kind, e.value()), e);
      index(e);
    } finally {
      lock.writeLock().unlock();
    }
    listeners.forEach(l -> l.added(e));
    return e;
  }

  /** Removes the entry of this kind and value; returns it, or null when there was none. */
  public Entry remove(Kind kind, String value) {
    Entry old;
    lock.writeLock().lock();
    try {
      old = entries.remove(new Key(kind, normalise(kind, value)));
      if (old != null) {
        unindex(old);
      }
    } finally {
      lock.writeLock().unlock();
    }
    if (old != null) {
      Entry removed = old;
      listeners.forEach(l -> l.removed(removed));
    }
    return old;
  }

  /** Entries in force, oldest first; expired ones are dropped on the way. */
  public List<Entry> list() {
    purgeExpired();
    lock.readLock().lock();
    try {
      return List.copyOf(entries.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Replaces the entries that came from the configuration with {@code configured}; entries added
   * at run time stay (a run-time entry for the same value wins over the configured one).
   */
  public void replaceConfigured(List<AccessEntryConfig> configured) {
    for (Entry e : list()) {
      if (CONFIG.equals(e.source())) {
        remove(e.kind(), e.value());
      }
    }
    for (AccessEntryConfig c : configured) {
      Entry existing = find(c.kind(), normalise(c.kind(), c.value()));
      if (existing == null) {
        add(c.kind(), c.value(), c.reason(), c.expires(), CONFIG);
      }
    }
  }

  private Entry find(Kind kind, String value) {
    lock.readLock().lock();
    try {
      return entries.get(new Key(kind, value));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The entry in force that matches any of the given facts, or null.
   *
   * @param address the client's IP address, or null
   * @param certificateFingerprint lower-case hex SHA-256, or null
   */
  public Entry match(InetAddress address, String clientId, String username, String certificateFingerprint) {
    Instant now = clock.instant();
    lock.readLock().lock();
    try {
      if (entries.isEmpty()) {
        return null;
      }
      Entry e = address == null ? null : networks.longestMatch(address.getAddress(), x -> !x.expired(now));
      if (e == null && clientId != null) {
        e = live(clientIds.get(clientId), now);
        for (int i = 0; e == null && i < clientIdGlobs.size(); i++) {
          GlobEntry g = clientIdGlobs.get(i);
          if (!g.entry().expired(now) && g.pattern().matcher(clientId).matches()) {
            e = g.entry();
          }
        }
      }
      if (e == null && username != null) {
        e = live(usernames.get(username), now);
      }
      if (e == null && certificateFingerprint != null) {
        e = live(certificates.get(certificateFingerprint), now);
      }
      return e;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether one entry matches the given facts (for sessions already open when it was added). */
  public static boolean matches(Entry e, InetAddress address, String clientId, String username,
      String certificateFingerprint) {
    return switch (e.kind()) {
      case IP -> address != null && contains(Cidr.parse(e.value()), address.getAddress());
      case CLIENT_ID -> clientId != null && (e.isGlob()
          ? Pattern.compile(Glob.toRegex(e.value())).matcher(clientId).matches()
          : e.value().equals(clientId));
      case USERNAME -> e.value().equals(username);
      case CERTIFICATE -> e.value().equals(certificateFingerprint);
    };
  }

  private static boolean contains(Cidr net, byte[] address) {
    if (net.address().length != address.length) {
      return false;
    }
    for (int bit = 0; bit < net.prefix(); bit++) {
      int mask = 0x80 >>> (bit & 7);
      if ((net.address()[bit >>> 3] & mask) != (address[bit >>> 3] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static Entry live(Entry e, Instant now) {
    return e == null || e.expired(now) ? null : e;
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    List<Entry> expired = new ArrayList<>();
    lock.readLock().lock();
    try {
      for (Entry e : entries.values()) {
        if (e.expired(now)) {
          expired.add(e);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    expired.forEach(e -> remove(e.kind(), e.value()));
  }

  private void index(Entry e) {
    switch (e.kind()) {
      case IP -> {
        Cidr c = Cidr.parse(e.value());
        networks.put(c.address(), c.prefix(), e);
      }
      case CLIENT_ID -> {
        if (e.isGlob()) {
          clientIdGlobs.add(new GlobEntry(Pattern.compile(Glob.toRegex(e.value())), e));
        } else {
          clientIds.put(e.value(), e);
        }
      }
      case USERNAME -> usernames.put(e.value(), e);
      case CERTIFICATE -> certificates.put(e.value(), e);
    }
  }

  private void unindex(Entry e) {
    switch (e.kind()) {
      case IP -> {
        Cidr c = Cidr.parse(e.value());
        networks.remove(c.address(), c.prefix());
      }
      case CLIENT_ID -> {
        clientIds.remove(e.value());
        clientIdGlobs.removeIf(g -> g.entry().value().equals(e.value()));
      }
      case USERNAME -> usernames.remove(e.value());
      case CERTIFICATE -> certificates.remove(e.value());
    }
  }

  /** The canonical form of a value, so that the same network or fingerprint is one entry. */
  static String normalise(Kind kind, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(kind.key() + " must not be empty");
    }
    return switch (kind) {
      case IP -> {
        Cidr c = Cidr.parse(value);
        if (c.hasHostBits()) {
          throw new IllegalArgumentException("'" + value + "' has bits set beyond the prefix length");
        }
        yield c.toString();
      }
      case CERTIFICATE -> {
        String hex = value.trim().replace(":", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
          throw new IllegalArgumentException("expected a SHA-256 fingerprint (64 hex digits), got '" + value + "'");
        }
        yield hex;
      }
      default -> value;
    };
  }
}

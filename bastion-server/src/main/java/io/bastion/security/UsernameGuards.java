package io.bastion.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Usernames under password guessing, and who logged in as each before. While a username is
 * guarded, a login for it is refused without its password being checked unless it comes from a
 * (client id, address) pair that logged in successfully as that username lately: the guessers,
 * each with a fresh client id, are turned away, while the device that owns the username keeps
 * connecting, which a username block would not allow.
 *
 * <p>Remembers the last {@link #LOGINS_PER_USERNAME} successful pairs of at most
 * {@link #MAX_USERNAMES} usernames; beyond, an arbitrary username's memory makes room. A lookup is
 * two hash lookups and a scan of four pairs. Node-local: cluster members do not share guards.
 */
public final class UsernameGuards {

  /** Successful (client id, address) pairs remembered per username. */
  public static final int LOGINS_PER_USERNAME = 4;
  /** Usernames whose successful logins are remembered. */
  public static final int MAX_USERNAMES = 100_000;

  /**
   * One guarded username.
   *
   * @param source who guards it: a detector's name with the {@code detect:} prefix, or {@code api}
   */
  public record Guard(String username, String reason, String source, Instant added, Instant expires) {

    public boolean expired(Instant now) {
      return !now.isBefore(expires);
    }
  }

  /** The last successful logins of one username, oldest overwritten first. */
  private static final class Logins {
    private final String[] clientIds = new String[LOGINS_PER_USERNAME];
    private final String[] addresses = new String[LOGINS_PER_USERNAME];
    private int next;

    synchronized void add(String clientId, String address) {
      if (knows(clientId, address)) {
        return;
      }
      clientIds[next] = clientId;
      addresses[next] = address;
      next = (next + 1) % LOGINS_PER_USERNAME;
    }

    synchronized boolean knows(String clientId, String address) {
      for (int i = 0; i < LOGINS_PER_USERNAME; i++) {
        if (clientIds[i] != null && clientIds[i].equals(clientId) && addresses[i].equals(address)) {
          return true;
        }
      }
      return false;
    }
  }

  private final Clock clock;
  private final Map<String, Guard> guards = new ConcurrentHashMap<>();
  private final Map<String, Logins> logins = new ConcurrentHashMap<>();

  public UsernameGuards(Clock clock) {
    this.clock = clock;
  }

  /** Guards a username until {@code expires}, replacing its earlier guard. */
  public Guard guard(String username, String reason, Instant expires, String source) {
    Guard g = new Guard(username, reason == null ? "" : reason, source, clock.instant(), expires);
    guards.put(username, g);
    return g;
  }

  /** Lifts a username's guard; returns it, or null when it had none in force. */
  public Guard clear(String username) {
    Guard g = guards.remove(username);
    return g == null || g.expired(clock.instant()) ? null : g;
  }

  /** The guard of a username in force now, or null. */
  public Guard guardOf(String username) {
    Guard g = username == null ? null : guards.get(username);
    return g == null || g.expired(clock.instant()) ? null : g;
  }

  /** Guards in force, by username. */
  public List<Guard> list() {
    Instant now = clock.instant();
    List<Guard> out = new ArrayList<>();
    for (Guard g : guards.values()) {
      if (!g.expired(now)) {
        out.add(g);
      }
    }
    out.sort(Comparator.comparing(Guard::username));
    return out;
  }

  /**
   * The guard that refuses this login, or null when it may go on to the password check: the
   * username is not guarded, or this client id logged in as it from this address before.
   */
  public Guard refusing(String username, String clientId, String address) {
    Guard g = guardOf(username);
    if (g == null) {
      return null;
    }
    Logins known = logins.get(username);
    return known != null && known.knows(clientId, address) ? null : g;
  }

  /** A login as {@code username} succeeded from this client id and address. */
  public void loggedIn(String username, String clientId, String address) {
    if (username == null || username.isEmpty() || clientId == null || address == null) {
      return;
    }
    Logins known = logins.get(username);
    if (known == null) {
      if (logins.size() >= MAX_USERNAMES) {
        Iterator<String> any = logins.keySet().iterator();
        if (any.hasNext()) {
          logins.remove(any.next()); // bounded memory: some username's owner is no longer known
        }
      }
      known = logins.computeIfAbsent(username, u -> new Logins());
    }
    known.add(clientId, address);
  }

  /** Usernames whose logins are remembered (metrics, tests). */
  public int rememberedUsernames() {
    return logins.size();
  }

  /** Forgets guards whose time is up. */
  public void expire() {
    Instant now = clock.instant();
    guards.values().removeIf(g -> g.expired(now));
  }
}

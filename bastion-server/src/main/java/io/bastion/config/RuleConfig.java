package io.bastion.config;

import java.util.Comparator;
import java.util.List;

/**
 * An ordered routing rule: the first rule whose matchers all match a CONNECT picks the pool. A
 * matcher left out (empty list or null pattern) matches everything.
 *
 * @param listeners listener names the rule applies to
 * @param clientId glob over the client identifier ({@code *} any run, {@code ?} one character)
 * @param clientIdRegex regular expression that must match the whole client identifier
 * @param username glob over the username; a client without username never matches a username
 *     matcher
 * @param usernameRegex regular expression that must match the whole username
 * @param sni glob over the TLS server name; a connection without SNI never matches
 * @param certCn glob over the verified client certificate's subject CN; a connection without a
 *     client certificate never matches
 * @param pools instead of one {@code pool}: pools by priority, best first (empty for a rule with
 *     one pool, whose {@code pool} is then set)
 * @param overflow when clients move between the {@code pools} and back; null with one pool
 */
public record RuleConfig(
    String name,
    String pool,
    List<String> listeners,
    String clientId,
    String clientIdRegex,
    String username,
    String usernameRegex,
    String sni,
    String certCn,
    List<PriorityPoolConfig> pools,
    OverflowConfig overflow) {

  public RuleConfig {
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
    pools = pools == null ? List.of()
        : pools.stream().sorted(Comparator.comparingInt(PriorityPoolConfig::priority)).toList();
  }

  /** A rule with one pool. */
  public RuleConfig(String name, String pool, List<String> listeners, String clientId,
      String clientIdRegex, String username, String usernameRegex, String sni, String certCn) {
    this(name, pool, listeners, clientId, clientIdRegex, username, usernameRegex, sni, certCn,
        List.of(), null);
  }

  /** Whether the rule names several pools by priority rather than one pool. */
  public boolean prioritized() {
    return !pools.isEmpty();
  }

  /** The pool new sessions go to first: the one pool, or the best priority of several. */
  public String firstPool() {
    return prioritized() ? pools.get(0).pool() : pool;
  }

  /** A rule without TLS matchers. */
  public RuleConfig(String name, String pool, List<String> listeners, String clientId,
      String clientIdRegex, String username, String usernameRegex) {
    this(name, pool, listeners, clientId, clientIdRegex, username, usernameRegex, null, null);
  }
}

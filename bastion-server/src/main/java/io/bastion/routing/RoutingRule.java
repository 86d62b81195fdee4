package io.bastion.routing;

import io.bastion.config.RuleConfig;
import java.util.Set;
import java.util.regex.Pattern;

/** A rule compiled once from its config; the connect path only calls {@link #matches}. */
public final class RoutingRule {

  private final String name;
  private final String pool;
  private final Set<String> listeners;
  private final Pattern clientId;
  private final Pattern username;
  private final Pattern sni;
  private final Pattern certCn;
  private final PriorityRoute priority;

  RoutingRule(RuleConfig config) {
    this.name = config.name();
    this.pool = config.firstPool();
    this.listeners = Set.copyOf(config.listeners());
    this.clientId = pattern(config.clientId(), config.clientIdRegex());
    this.username = pattern(config.username(), config.usernameRegex());
    // host names compare without regard to case
    this.sni = config.sni() == null ? null
        : Pattern.compile(Glob.toRegex(config.sni()), Pattern.CASE_INSENSITIVE);
    this.certCn = pattern(config.certCn(), null);
    this.priority = config.prioritized() ? new PriorityRoute(config) : null;
  }

  public String name() {
    return name;
  }

  /** The one pool, or for pools by priority the best one. */
  public String pool() {
    return pool;
  }

  /** The pools by priority, or null for a rule with one pool. */
  public PriorityRoute priority() {
    return priority;
  }

  boolean matches(RouteRequest r) {
    if (!listeners.isEmpty() && !listeners.contains(r.listener())) {
      return false;
    }
    if (clientId != null && !clientId.matcher(r.clientId()).matches()) {
      return false;
    }
    return matchesOptional(username, r.username())
        && matchesOptional(sni, r.sni())
        && matchesOptional(certCn, r.certificateCn());
  }

  /** A matcher that is set never matches a value that is absent. */
  private static boolean matchesOptional(Pattern pattern, String value) {
    return pattern == null || (value != null && pattern.matcher(value).matches());
  }

  /** A glob and a regex may both be given; both must then match, so they compile to one. */
  private static Pattern pattern(String glob, String regex) {
    if (glob == null && regex == null) {
      return null;
    }
    if (glob == null) {
      return Pattern.compile(regex);
    }
    String fromGlob = Glob.toRegex(glob);
    return Pattern.compile(regex == null ? fromGlob : "(?=" + fromGlob + "$)(?:" + regex + ")");
  }
}

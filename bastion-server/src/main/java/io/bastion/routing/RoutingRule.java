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

  RoutingRule(RuleConfig config) {
    this.name = config.name();
    this.pool = config.pool();
    this.listeners = Set.copyOf(config.listeners());
    this.clientId = pattern(config.clientId(), config.clientIdRegex());
    this.username = pattern(config.username(), config.usernameRegex());
  }

  public String name() {
    return name;
  }

  public String pool() {
    return pool;
  }

  boolean matches(RouteRequest r) {
    if (!listeners.isEmpty() && !listeners.contains(r.listener())) {
      return false;
    }
    if (clientId != null && !clientId.matcher(r.clientId()).matches()) {
      return false;
    }
    return username == null || (r.username() != null && username.matcher(r.username()).matches());
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

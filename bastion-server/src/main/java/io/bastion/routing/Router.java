package io.bastion.routing;

import io.bastion.config.BastionConfig;
import java.util.List;

/**
 * Chooses the pool for a CONNECT: the first rule that matches wins; with no rules configured the
 * only pool takes everything. Immutable: a new config builds a new router.
 */
public final class Router {

  private final List<RoutingRule> rules;
  private final String defaultPool;

  public Router(BastionConfig config) {
    this.rules = config.rules().stream().map(RoutingRule::new).toList();
    this.defaultPool =
        config.rules().isEmpty() && config.pools().size() == 1 ? config.pools().get(0).name() : null;
  }

  /** The pool name (for pools by priority the best one), or null when no rule admits this client. */
  public String poolFor(RouteRequest request) {
    RoutingRule rule = ruleFor(request);
    return rule != null ? rule.pool() : defaultPool;
  }

  /**
   * The first rule that matches, or null: then {@link #poolFor} gives the only pool when there
   * are no rules.
   */
  public RoutingRule ruleFor(RouteRequest request) {
    for (RoutingRule rule : rules) {
      if (rule.matches(request)) {
        return rule;
      }
    }
    return null;
  }
}

package io.bastion.routing;

import io.bastion.config.OverflowConfig;
import io.bastion.config.PriorityPoolConfig;
import io.bastion.config.RuleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule's pools by priority (a local site first, the cloud as reserve), compiled once. New
 * sessions go to the best pool that is up; a pool is passed over when no broker of it takes
 * sessions, or when every one is at the load threshold. Stateless: the connect path calls {@link
 * #choose} on every CONNECT, so clients return to a better pool as soon as it is up again.
 */
public final class PriorityRoute {

  private final String rule;
  private final List<PriorityPoolConfig> pools;
  private final OverflowConfig overflow;

  public PriorityRoute(RuleConfig config) {
    this.rule = config.name();
    this.pools = config.pools();
    this.overflow = config.overflow() == null ? OverflowConfig.DEFAULT : config.overflow();
  }

  public String rule() {
    return rule;
  }

  public List<PriorityPoolConfig> pools() {
    return pools;
  }

  public OverflowConfig overflow() {
    return overflow;
  }

  /** Looks at every pool of the rule and picks the one new sessions go to. */
  public Choice choose(PoolView view) {
    List<PoolCheck> checks = new ArrayList<>(pools.size());
    for (PriorityPoolConfig p : pools) {
      checks.add(check(p, view.available(p.pool())));
    }
    int active = firstIn(checks, PoolState.UP);
    if (active < 0) {
      active = firstIn(checks, PoolState.FULL);
    }
    return new Choice(active < 0 ? 0 : active, active >= 0, checks, overflow.loadThreshold());
  }

  private PoolCheck check(PriorityPoolConfig pool, List<? extends Target> available) {
    if (available.isEmpty()) {
      return new PoolCheck(pool.pool(), pool.priority(), PoolState.DOWN, 0, null);
    }
    int fallback = pool.capacity() > 0 ? pool.capacity() : overflow.capacity();
    long load = 0;
    long capacity = 0;
    boolean allFull = true;
    for (Target t : available) {
      int c = t.capacity() > 0 ? t.capacity() : fallback;
      if (c <= 0) {
        allFull = false; // a broker of unknown capacity is never counted as full
        continue;
      }
      load += t.load();
      capacity += c;
      if ((double) t.load() / c < overflow.loadThreshold()) {
        allFull = false;
      }
    }
    return new PoolCheck(pool.pool(), pool.priority(), allFull ? PoolState.FULL : PoolState.UP,
        available.size(), capacity == 0 ? null : (double) load / capacity);
  }

  private static int firstIn(List<PoolCheck> checks, PoolState state) {
    for (int i = 0; i < checks.size(); i++) {
      if (checks.get(i).state() == state) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param active index of the pool new sessions go to
   * @param anyUp whether any pool has a broker available
   * @param checks every pool of the rule, best priority first
   * @param loadThreshold the rule's, for the reason
   */
  public record Choice(int active, boolean anyUp, List<PoolCheck> checks, double loadThreshold) {

    /** Why the active pool, in words (built on demand: the connect path never needs it). */
    public String reason() {
      if (!anyUp) {
        return "no pool has a broker available";
      }
      if (checks.get(active).state() == PoolState.FULL) {
        return "every pool is at its load threshold; the best one that is up takes new sessions";
      }
      if (active == 0) {
        return "highest priority pool is up";
      }
      List<String> why = new ArrayList<>();
      for (int i = 0; i < active; i++) {
        PoolCheck c = checks.get(i);
        why.add(c.state() == PoolState.DOWN ? c.pool() + ": no broker available"
            : c.pool() + ": every broker at load threshold " + loadThreshold);
      }
      return String.join("; ", why);
    }

    public String activePool() {
      return checks.get(active).pool();
    }

    /**
     * Pools to try for one session, in order: the active one, then the other pools that have a
     * broker up by priority (a connect that fails over crosses sites), then those that are down.
     */
    public List<String> connectOrder() {
      List<String> order = new ArrayList<>(checks.size());
      order.add(activePool());
      for (PoolCheck c : checks) {
        if (c.state() != PoolState.DOWN && !order.contains(c.pool())) {
          order.add(c.pool());
        }
      }
      for (PoolCheck c : checks) {
        if (!order.contains(c.pool())) {
          order.add(c.pool());
        }
      }
      return order;
    }

    /** Pools of lower priority than the active one: sessions on them belong back on it. */
    public List<String> below() {
      List<String> below = new ArrayList<>();
      for (int i = active + 1; i < checks.size(); i++) {
        below.add(checks.get(i).pool());
      }
      return below;
    }
  }
}

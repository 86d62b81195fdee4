package io.bastion.routing;

import io.bastion.config.RuleConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Every priority rule of the configuration and its state over time (kept across reloads while a
 * rule's pools and overflow settings stay the same). Someone calls {@link #tick} a few times a
 * second and moves the sessions it names; the connect path does not come here, it asks the rule's
 * {@link PriorityRoute} directly.
 */
public final class PriorityPools {

  private final PoolView view;
  private final LongSupplier nanoClock;
  private volatile Map<String, PriorityTracker> trackers = Map.of();

  public PriorityPools(PoolView view, LongSupplier nanoClock) {
    this.view = view;
    this.nanoClock = nanoClock;
  }

  /** Takes the priority rules of a (new) configuration. */
  public synchronized void apply(List<RuleConfig> rules) {
    Map<String, PriorityTracker> next = new LinkedHashMap<>();
    for (RuleConfig r : rules) {
      if (!r.prioritized()) {
        continue;
      }
      PriorityTracker old = trackers.get(r.name());
      PriorityRoute route = new PriorityRoute(r);
      boolean same = old != null && old.route().pools().equals(route.pools())
          && old.route().overflow().equals(route.overflow());
      next.put(r.name(), same ? old : new PriorityTracker(route));
    }
    trackers = next;
  }

  /** Whether any rule has pools by priority. */
  public boolean any() {
    return !trackers.isEmpty();
  }

  /** Looks at every priority rule now; returns the sessions due to move back, per rule. */
  public List<MoveBack> tick(SessionCount sessionsBelow) {
    long now = nanoClock.getAsLong();
    List<MoveBack> due = new ArrayList<>();
    for (PriorityTracker t : trackers.values()) {
      MoveBack m = t.tick(now, view, sessionsBelow);
      if (m != null) {
        due.add(m);
      }
    }
    return due;
  }

  /** Counts sessions that were told to move back. */
  public void movedBack(String rule, int sessions) {
    PriorityTracker t = trackers.get(rule);
    if (t != null) {
      t.movedBack(sessions);
    }
  }

  /** Every priority rule as last looked at, in configuration order. */
  public List<PriorityStatus> status() {
    return trackers.values().stream().map(t -> t.status(view)).toList();
  }

  /**
   * Sessions of {@code rule} to move back to {@code to}, taken from those on {@code from}.
   *
   * @param count how many now
   */
  public record MoveBack(String rule, String to, List<String> from, int count) {}

  /** Counts a rule's sessions on some of its pools. */
  public interface SessionCount {
    int on(String rule, List<String> pools);
  }
}

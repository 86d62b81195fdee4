package io.bastion.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one priority rule over time: how long its active pool has been up, and when sessions
 * that were placed on worse pools may go back to it, at the rule's return rate.
 */
final class PriorityTracker {

  private static final Logger LOG = LoggerFactory.getLogger(PriorityTracker.class);

  private final PriorityRoute route;
  private final ReturnPacer pacer;
  private final AtomicLong movedBack = new AtomicLong();
  private int upIndex = -1;
  private String lastActive;
  private long upSince;
  private volatile PriorityStatus status;

  PriorityTracker(PriorityRoute route) {
    this.route = route;
    this.pacer = new ReturnPacer(route.overflow().returnRate());
  }

  PriorityRoute route() {
    return route;
  }

  /**
   * One look at the pools at {@code nanos}.
   *
   * @param sessionsBelow counts this rule's sessions on the given pools
   * @return sessions to move back now, or null when none
   */
  synchronized PriorityPools.MoveBack tick(long nanos, PoolView view,
      PriorityPools.SessionCount sessionsBelow) {
    PriorityRoute.Choice choice = route.choose(view);
    boolean up = choice.checks().get(choice.active()).state() == PoolState.UP;
    if (!choice.activePool().equals(lastActive)) {
      LOG.info("rule {}: new sessions go to pool {} ({})", route.rule(), choice.activePool(),
          choice.reason());
      lastActive = choice.activePool();
    }
    if (!up) {
      upIndex = -1;
    } else if (upIndex != choice.active()) {
      upIndex = choice.active();
      upSince = nanos;
    }
    List<String> below = choice.below();
    int waiting = below.isEmpty() ? 0 : sessionsBelow.on(route.rule(), below);
    long holdNanos = route.overflow().returnHold().toNanos();
    long heldFor = nanos - upSince;
    int moves = 0;
    Double returnIn = null;
    if (up && waiting > 0) {
      if (heldFor >= holdNanos) {
        moves = pacer.take(nanos, waiting);
        returnIn = 0.0;
      } else {
        pacer.stop();
        returnIn = (holdNanos - heldFor) / 1e9;
      }
    } else {
      pacer.stop();
    }
    status = new PriorityStatus(route.rule(), choice.checks(), choice.activePool(), choice.reason(),
        waiting, returnIn, movedBack.get());
    return moves == 0 ? null
        : new PriorityPools.MoveBack(route.rule(), choice.activePool(), below, moves);
  }

  void movedBack(int sessions) {
    movedBack.addAndGet(sessions);
  }

  long movedBack() {
    return movedBack.get();
  }

  /** The last look, or a fresh one when the rule was never ticked. */
  PriorityStatus status(PoolView view) {
    PriorityStatus s = status;
    if (s != null) {
      return new PriorityStatus(s.rule(), s.pools(), s.active(), s.reason(), s.sessionsBelow(),
          s.returnInSeconds(), movedBack.get());
    }
    PriorityRoute.Choice c = route.choose(view);
    return new PriorityStatus(route.rule(), c.checks(), c.activePool(), c.reason(), 0, null,
        movedBack.get());
  }
}

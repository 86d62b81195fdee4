package io.bastion.detect;

import java.util.concurrent.atomic.AtomicInteger;

/** What connections from one source address did, across all event loops (an opaque handle outside this package). */
public final class IpCounters {

  final String ip;
  final WindowedCount connections = new WindowedCount();
  /** Connections of client ids that held a session lately (a fleet reconnecting, e.g. through NAT). */
  final WindowedCount returning = new WindowedCount();
  final WindowedCount authFailures = new WindowedCount();
  final WindowedCount malformed = new WindowedCount();
  final AtomicInteger halfOpen = new AtomicInteger();
  final DistinctBits clientIds = new DistinctBits(1024);
  final DistinctBits usernames = new DistinctBits(256);
  /** Distinct counts of the window just closed (detection thread). */
  double previousClientIds;
  double previousUsernames;
  int idleWindows;
  /** Woke the detection thread in the open window (racy on purpose: a second wake-up is harmless). */
  boolean woke;
  /** Since when more connections than slowloris allows have been waiting for their CONNECT; -1: not now. */
  long halfOpenOverSinceMillis = -1;

  IpCounters(String ip) {
    this.ip = ip;
  }

  /** New connections in the last window, sliding, not counting returning devices. */
  double newConnectionsSliding(double fraction) {
    return Math.max(0, connections.sliding(fraction) - returning.sliding(fraction));
  }

  /**
   * Distinct client ids in the last window, sliding like the counts, rounded: the linear-counting
   * estimate of exactly n ids is a little above n (20.2 for 20), which must not pass a limit of n.
   */
  double clientIdsSliding(double fraction) {
    return Math.rint(clientIds.estimate() + previousClientIds * (1 - fraction));
  }

  /** Distinct client ids in the open window alone, rounded like {@link #clientIdsSliding}. */
  double clientIdsNow() {
    return Math.rint(clientIds.estimate());
  }
}

package io.bastion.detect;

import java.util.concurrent.atomic.AtomicInteger;

/** Connects, takeovers and failures for one client id, over all its connections. */
final class ClientIdCounters {

  final String clientId;
  final AtomicInteger live = new AtomicInteger();
  final WindowedCount connects = new WindowedCount();
  final WindowedCount takeovers = new WindowedCount();
  final WindowedCount authFailures = new WindowedCount();
  final WindowedCount malformed = new WindowedCount();
  int idleWindows;

  ClientIdCounters(String clientId) {
    this.clientId = clientId;
  }
}

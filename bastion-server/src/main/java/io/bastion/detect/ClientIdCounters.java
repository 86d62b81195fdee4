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
  /**
   * Whether a session of this id lasted across a window close: such an id reconnecting soon after
   * (a broker failover, a NAT gateway's fleet) is a returning device, not a new one.
   */
  volatile boolean established;

  ClientIdCounters(String clientId) {
    this.clientId = clientId;
  }

  /**
   * Closes the window (the engine and the replay alike); returns whether the id can be forgotten:
   * no connect for some windows while no session of it is open.
   */
  boolean closeWindow(boolean sessionOpen) {
    boolean idle = connects.close() == 0;
    takeovers.close();
    authFailures.close();
    malformed.close();
    idleWindows = idle && !sessionOpen ? idleWindows + 1 : 0;
    return idleWindows > DetectionEngine.FORGET_AFTER_WINDOWS;
  }
}

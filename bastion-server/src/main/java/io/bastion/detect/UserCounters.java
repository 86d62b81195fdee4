package io.bastion.detect;

import io.bastion.config.DetectorCatalog;

/** Failed logins for one username, from any address (distributed and slow brute force). */
final class UserCounters {

  final String username;
  final WindowedCount failures = new WindowedCount();
  final DistinctBits addresses = new DistinctBits(256);
  /** The last failures with their client ids and addresses, for the long-horizon rule. */
  final FailureTrail trail = new FailureTrail(DetectorCatalog.MAX_REMEMBERED_FAILURES);
  double previousAddresses;
  int idleWindows;
  /** The newest failure the slow brute-force rule has reported (detection thread). */
  long slowReportedMillis = Long.MIN_VALUE;

  UserCounters(String username) {
    this.username = username;
  }

  double addressesSliding(double fraction) {
    return addresses.estimate() + previousAddresses * (1 - fraction);
  }

  /**
   * Closes the window (the engine and the replay alike); returns whether the username can be
   * forgotten: idle for some windows and no failure left in the long horizon.
   */
  boolean closeWindow(long nowMillis, long horizonMillis) {
    boolean idle = failures.close() == 0;
    previousAddresses = addresses.takeAndClear();
    idleWindows = idle ? idleWindows + 1 : 0;
    return forgettable(nowMillis, horizonMillis);
  }

  /** Whether it can be forgotten: idle for some windows and no failure left in the long horizon. */
  private boolean forgettable(long nowMillis, long horizonMillis) {
    return idleWindows > DetectionEngine.FORGET_AFTER_WINDOWS
        && (horizonMillis <= 0 || trail.since(nowMillis - horizonMillis) == 0);
  }
}

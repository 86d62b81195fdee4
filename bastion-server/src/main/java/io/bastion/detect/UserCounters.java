package io.bastion.detect;

/** Failed logins for one username, from any address (distributed brute force). */
final class UserCounters {

  final String username;
  final WindowedCount failures = new WindowedCount();
  final DistinctBits addresses = new DistinctBits(256);
  double previousAddresses;
  int idleWindows;

  UserCounters(String username) {
    this.username = username;
  }

  double addressesSliding(double fraction) {
    return addresses.estimate() + previousAddresses * (1 - fraction);
  }
}

package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;
import java.util.List;

/**
 * Slow password guessing against one username: more than {@code max-failures} failed logins in
 * the last {@code horizon} (10 minutes by default), from at least {@code min-client-ids} client ids
 * and {@code min-addresses} addresses. One guess a minute, each with a fresh client id, stays far
 * below the per-window rules but shows here within a few minutes; a device retrying with its own
 * id after a password change is one client id and never counts as several. Reports again only
 * when a new failure arrives, so a guard is renewed while guessing goes on and not after.
 */
final class BruteForceSlowRule extends Rule {

  BruteForceSlowRule(DetectorConfig config) {
    super(config);
  }

  static long horizonMillis(DetectorConfig config) {
    return Math.round(config.limit(DetectorCatalog.HORIZON) * 1000);
  }

  @Override
  void check(RuleContext ctx) {
    long horizon = horizonMillis(config);
    long since = ctx.nowMillis - horizon;
    double maxFailures = limit("max-failures");
    double minIds = limit("min-client-ids");
    double minAddresses = limit("min-addresses");
    for (UserCounters u : ctx.users) {
      long newest = u.trail.newest();
      if (newest <= since || newest <= u.slowReportedMillis) {
        continue; // nothing new to judge
      }
      int failures = u.trail.since(since);
      if (failures <= maxFailures) {
        continue;
      }
      int ids = u.trail.clientIdsSince(since);
      int addresses = u.trail.addressesSince(since);
      if (ids < minIds || addresses < minAddresses) {
        continue;
      }
      if (ctx.username(this, u.username, failures, List.of(
          count(failures) + " failed logins for username '" + u.username + "' in the last "
              + RuleContext.duration(horizon) + " (limit " + count(maxFailures) + ")",
          "from " + ids + " client ids and " + addresses + " addresses (at least " + count(minIds)
              + " and " + count(minAddresses) + ")"))) {
        u.slowReportedMillis = newest;
      }
    }
  }
}

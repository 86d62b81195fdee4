package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Failed logins for one username from many addresses: each stays under the per-address limit. */
final class DistributedBruteForceRule extends Rule {

  DistributedBruteForceRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double minAddresses = limit("min-addresses");
    double maxFailures = limit("max-failures");
    for (UserCounters u : ctx.users) {
      double failures = u.failures.sliding(ctx.fraction);
      if (failures <= maxFailures) {
        continue;
      }
      double addresses = u.addressesSliding(ctx.fraction);
      if (addresses >= minAddresses) {
        ctx.username(this, u.username, addresses, List.of(
            "about " + count(addresses) + " addresses failed to log in as '" + u.username + "' (limit "
                + count(minAddresses) + ")",
            count(failures) + " failed logins in the last " + ctx.windowText()));
      }
    }
  }
}

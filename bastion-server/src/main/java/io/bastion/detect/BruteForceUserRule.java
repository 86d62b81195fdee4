package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Failed logins for one username, from anywhere. */
final class BruteForceUserRule extends Rule {

  BruteForceUserRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-failures");
    for (UserCounters u : ctx.users) {
      double n = u.failures.sliding(ctx.fraction);
      if (n > max) {
        ctx.username(this, u.username, n, List.of(count(n) + " failed logins for username '" + u.username
            + "' in the last " + ctx.windowText() + " (limit " + count(max) + ")"));
      }
    }
  }
}

package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Failed logins from one address. */
final class BruteForceIpRule extends Rule {

  BruteForceIpRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-failures");
    for (IpCounters ip : ctx.ips) {
      double n = ip.authFailures.sliding(ctx.fraction);
      if (n > max) {
        ctx.address(this, ip.ip, n, List.of(count(n) + " failed logins in the last " + ctx.windowText()
            + " (limit " + count(max) + ")",
            "about " + count(ip.usernames.estimate()) + " distinct usernames tried"));
      }
    }
  }
}

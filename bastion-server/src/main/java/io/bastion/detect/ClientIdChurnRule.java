package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** One address cycling through many client ids in a window. */
final class ClientIdChurnRule extends Rule {

  ClientIdChurnRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-client-ids");
    for (IpCounters ip : ctx.ips) {
      double n = ip.clientIdsSliding(ctx.fraction);
      if (n > max) {
        ctx.address(this, ip.ip, n, List.of("about " + count(n) + " distinct client ids in the last "
            + ctx.windowText() + " (limit " + count(max) + ")"));
      }
    }
  }
}

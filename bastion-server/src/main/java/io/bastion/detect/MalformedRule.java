package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Connections from one address ended by malformed packets. */
final class MalformedRule extends Rule {

  MalformedRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-malformed");
    for (IpCounters ip : ctx.ips) {
      double n = ip.malformed.sliding(ctx.fraction);
      if (n > max) {
        ctx.address(this, ip.ip, n, List.of(count(n) + " malformed packets in the last " + ctx.windowText()
            + " (limit " + count(max) + ")"));
      }
    }
  }
}

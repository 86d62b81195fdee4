package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Too many new connections from one address in a window. */
final class ConnectFloodRule extends Rule {

  ConnectFloodRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-connects");
    for (IpCounters ip : ctx.ips) {
      double n = ip.newConnectionsSliding(ctx.fraction);
      if (n > max) {
        ctx.address(this, ip.ip, n, List.of(count(n) + " new connections in the last " + ctx.windowText()
            + " (limit " + count(max) + ")"));
      }
    }
  }
}

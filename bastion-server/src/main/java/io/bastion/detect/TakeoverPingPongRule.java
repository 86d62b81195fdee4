package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/** Two or more connections taking one client id's session from each other, again and again. */
final class TakeoverPingPongRule extends Rule {

  TakeoverPingPongRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-takeovers");
    for (ClientIdCounters id : ctx.clientIds) {
      double n = id.takeovers.sliding(ctx.fraction);
      if (n > max) {
        ctx.report(this, "client:" + id.clientId, id.clientId, null, null, null, n, List.of(
            count(n) + " session takeovers in the last " + ctx.windowText() + " (limit " + count(max) + ")",
            count(id.connects.sliding(ctx.fraction)) + " connects with this client id"));
      }
    }
  }
}

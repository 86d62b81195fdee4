package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SlowITe: many sessions from one address that asked for no keepalive or a huge one and then stay
 * silent, holding broker connections for nothing.
 */
final class SlowiteRule extends Rule {

  SlowiteRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double maxKeepAlive = limit("max-keepalive");
    long minIdleMillis = (long) (limit("min-idle-seconds") * 1000);
    double maxSessions = limit("max-sessions");
    Map<String, Integer> perIp = new HashMap<>();
    for (TrackedClient c : ctx.clients) {
      boolean suspect = c.keepAliveSeconds == 0 || c.keepAliveSeconds > maxKeepAlive;
      if (suspect && !c.ended && c.idleMillis(ctx.nowMillis) >= minIdleMillis) {
        perIp.merge(c.ip, 1, Integer::sum);
      }
    }
    perIp.forEach((ip, n) -> {
      if (n > maxSessions) {
        ctx.address(this, ip, n, List.of(n + " silent sessions with keepalive 0 or above "
            + count(maxKeepAlive) + " s (limit " + count(maxSessions) + ")"));
      }
    });
  }
}

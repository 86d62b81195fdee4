package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SlowITe: many sessions from one address that asked for no keepalive or a huge one and then stay
 * silent, holding broker connections for nothing. Two bars: the slow variant, sessions silent for
 * {@code min-idle-seconds}; and the blatant one, a burst of such sessions opened within the last
 * window that have sent nothing at all since their CONNECT, acted on at once. A fleet behind one
 * address rarely asks for keepalive 0, and never opens that many silent sessions in one window.
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
    double burstSessions = limit("burst-sessions");
    Map<String, int[]> perIp = new HashMap<>();
    for (TrackedClient c : ctx.clients) {
      boolean suspect = c.keepAliveSeconds == 0 || c.keepAliveSeconds > maxKeepAlive;
      if (!suspect || c.ended) {
        continue;
      }
      boolean idle = c.idleMillis(ctx.nowMillis) >= minIdleMillis;
      // a session that never sent anything has been idle since it started
      boolean mute = c.activity() == 0 && c.idleMillis(ctx.nowMillis) < ctx.windowMillis;
      if (idle || mute) {
        int[] n = perIp.computeIfAbsent(c.ip, k -> new int[2]);
        n[0] += idle ? 1 : 0;
        n[1] += mute ? 1 : 0;
      }
    }
    perIp.forEach((ip, n) -> {
      if (n[0] > maxSessions) {
        ctx.address(this, ip, n[0], List.of(n[0] + " silent sessions with keepalive 0 or above "
            + count(maxKeepAlive) + " s (limit " + count(maxSessions) + ")"));
      } else if (n[1] > burstSessions) {
        ctx.address(this, ip, n[1], List.of(n[1] + " sessions with keepalive 0 or above "
            + count(maxKeepAlive) + " s opened in the last " + ctx.windowText()
            + " that sent nothing after CONNECT (limit " + count(burstSessions) + ")"));
      }
    });
  }
}

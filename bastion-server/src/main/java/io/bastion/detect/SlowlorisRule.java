package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/**
 * Slowloris: many connections from one address that never finish their CONNECT, or a session that
 * leaves a packet incomplete for long.
 */
final class SlowlorisRule extends Rule {

  SlowlorisRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double maxHalfOpen = limit("max-half-open");
    long minWaitMillis = (long) (limit("min-wait-seconds") * 1000);
    long maxStuckMillis = (long) (limit("max-stuck-seconds") * 1000);
    for (IpCounters ip : ctx.ips) {
      int n = ip.halfOpen.get();
      if (n <= maxHalfOpen) {
        ip.halfOpenOverSinceMillis = -1;
        continue;
      }
      // a burst of connections sends its CONNECTs at once: only a count that stays up is slowloris
      if (ip.halfOpenOverSinceMillis < 0) {
        ip.halfOpenOverSinceMillis = ctx.nowMillis;
      }
      long held = ctx.nowMillis - ip.halfOpenOverSinceMillis;
      if (held >= minWaitMillis) {
        ctx.address(this, ip.ip, n, List.of(n + " connections without CONNECT for " + held / 1000.0
            + " s (limit " + count(maxHalfOpen) + " for " + count(minWaitMillis / 1000.0) + " s)"));
      }
    }
    for (TrackedClient c : ctx.clients) {
      if (c.decoder == null || c.ended) {
        continue;
      }
      long since = c.decoder.incompleteSinceNanos();
      if (since != 0) {
        long stuck = (System.nanoTime() - since) / 1_000_000;
        if (stuck > maxStuckMillis) {
          ctx.client(this, c, stuck / 1000.0, List.of(c.decoder.incompleteBytes()
              + " bytes of an incomplete packet waiting " + stuck / 1000 + " s (limit "
              + count(maxStuckMillis / 1000.0) + " s)"));
        }
      }
    }
  }
}

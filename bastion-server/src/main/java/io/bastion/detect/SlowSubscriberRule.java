package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/**
 * A subscriber that keeps QoS 1/2 deliveries unacknowledged for long: at least {@code max-inflight}
 * outstanding all along, and the deliveries outstanding when that began still not all
 * acknowledged. A busy subscriber always has some in flight, but it completes them.
 */
final class SlowSubscriberRule extends Rule {

  SlowSubscriberRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-inflight");
    long minMillis = (long) (limit("min-seconds") * 1000);
    for (TrackedClient c : ctx.clients) {
      long inflight = c.counters.inflight();
      if (inflight < max) {
        c.inflightSinceMillis = -1;
        continue;
      }
      if (c.inflightSinceMillis < 0 || c.counters.count(ClientCounters.ACKS_IN) >= c.inflightMark) {
        // (again) outstanding: from now on, the deliveries sent so far must be completed
        c.inflightSinceMillis = ctx.nowMillis;
        c.inflightMark = c.counters.count(ClientCounters.QOS_OUT);
        continue;
      }
      long held = ctx.nowMillis - c.inflightSinceMillis;
      if (held >= minMillis) {
        ctx.client(this, c, inflight, List.of(inflight + " QoS 1/2 deliveries unacknowledged for "
            + held / 1000 + " s (limit " + count(max) + " for " + minMillis / 1000 + " s)"));
      }
    }
  }
}

package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.List;

/**
 * A subscriber that holds QoS 1/2 deliveries open instead of completing them. The broker paces
 * deliveries to what the client answers (HiveMQ CE sent a QoS 2 subscriber that never answers 1 to
 * 13 of 150 messages published to it, the rest waiting in its queue), so the backlog seen here
 * stays small: the rule looks at progress, not at how many are outstanding.
 *
 * <ul>
 *   <li>Stuck: a client that has never completed a delivery in its session and has sent nothing at
 *       all for {@code stuck-seconds} while one is outstanding. A client library answers a delivery
 *       on arrival, so a healthy subscriber's first answer takes one round trip.
 *   <li>Slow: at least {@code max-inflight} outstanding all along for {@code min-seconds}, and the
 *       deliveries outstanding when that began still not all acknowledged. A busy subscriber always
 *       has some in flight, but it completes them.
 * </ul>
 */
final class SlowSubscriberRule extends Rule {

  SlowSubscriberRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double max = limit("max-inflight");
    long minMillis = (long) (limit("min-seconds") * 1000);
    long stuckMillis = (long) (limit("stuck-seconds") * 1000);
    for (TrackedClient c : ctx.clients) {
      long inflight = c.counters.inflight();
      if (!stuck(ctx, c, inflight, stuckMillis)) {
        slow(ctx, c, inflight, max, minMillis);
      }
    }
  }

  private boolean stuck(RuleContext ctx, TrackedClient c, long inflight, long stuckMillis) {
    if (inflight == 0 || c.counters.count(ClientCounters.ACKS_IN) > 0) {
      c.stuckSinceMillis = -1;
      return false;
    }
    int bytesIn = (int) c.activity();
    if (c.stuckSinceMillis < 0 || bytesIn != c.stuckMarkBytes) {
      // outstanding (again), or it spoke since: its silence starts now
      c.stuckSinceMillis = ctx.nowMillis;
      c.stuckMarkBytes = bytesIn;
      return false;
    }
    long silent = ctx.nowMillis - c.stuckSinceMillis;
    if (silent < stuckMillis) {
      return false;
    }
    ctx.client(this, c, inflight, List.of(inflight + " QoS 1/2 deliveries outstanding, none ever completed,"
        + " and nothing sent for " + seconds(silent) + " (limit " + seconds(stuckMillis) + ")"));
    return true;
  }

  private void slow(RuleContext ctx, TrackedClient c, long inflight, double max, long minMillis) {
    if (inflight < max) {
      c.inflightSinceMillis = -1;
      return;
    }
    if (c.inflightSinceMillis < 0 || c.counters.count(ClientCounters.ACKS_IN) >= c.inflightMark) {
      // (again) outstanding: from now on, the deliveries sent so far must be completed
      c.inflightSinceMillis = ctx.nowMillis;
      c.inflightMark = c.counters.count(ClientCounters.QOS_OUT);
      return;
    }
    long held = ctx.nowMillis - c.inflightSinceMillis;
    if (held >= minMillis) {
      ctx.client(this, c, inflight, List.of(inflight + " QoS 1/2 deliveries unacknowledged for "
          + held / 1000 + " s (limit " + count(max) + " for " + minMillis / 1000 + " s)"));
    }
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.2f s", millis / 1000.0);
  }
}

package io.bastion.bench.detect;

import io.bastion.detect.ClientFeature;
import io.bastion.detect.ClientWindow;
import io.bastion.detect.Detection;
import io.bastion.detect.Responder;
import io.bastion.detect.WindowSink;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flapping detection as MQTT brokers ship it: a client id that connects 15 times within a minute
 * is banned for 5 minutes. The suite's first baseline.
 */
public final class FlappingDetector implements WindowSink {

  static final int CONNECTS_PER_MINUTE = 15;
  static final long BAN_MILLIS = 5 * 60_000L;

  private final Responder responder;
  private final Clock clock;
  private final Map<String, ArrayDeque<long[]>> recent = new HashMap<>();
  private final Map<String, Long> bannedUntil = new HashMap<>();
  private long lastPrune;

  public FlappingDetector(Responder responder, Clock clock) {
    this.responder = responder;
    this.clock = clock;
  }

  @Override
  public void accept(List<ClientWindow> windows) {
    long now = clock.millis();
    for (ClientWindow w : windows) {
      double connects = w.get(ClientFeature.CONNECTS);
      if (connects <= 0) {
        continue;
      }
      ArrayDeque<long[]> q = recent.computeIfAbsent(w.clientId(), id -> new ArrayDeque<>());
      q.addLast(new long[] {w.windowEndMillis(), (long) connects});
      long sum = 0;
      for (java.util.Iterator<long[]> it = q.iterator(); it.hasNext(); ) {
        long[] e = it.next();
        if (e[0] <= w.windowEndMillis() - 60_000) {
          it.remove();
        } else {
          sum += e[1];
        }
      }
      Long until = bannedUntil.get(w.clientId());
      if (sum >= CONNECTS_PER_MINUTE && (until == null || until <= now)) {
        bannedUntil.put(w.clientId(), now + BAN_MILLIS);
        responder.respond(new Detection(clock.instant(), "flapping", w.clientId(), w.remoteIp(), w.cohort(),
            sum, List.of(sum + " connects within a minute"), Detection.Action.BLOCK));
      }
    }
    if (now - lastPrune > 60_000) {
      lastPrune = now;
      recent.values().removeIf(q -> q.isEmpty() || q.peekLast()[0] <= now - 60_000);
      bannedUntil.values().removeIf(t -> t <= now);
    }
  }
}

package io.bastion.relay;

import io.bastion.backend.Broker;
import io.bastion.mqtt.ReasonCode;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sessions off a broker at a steady rate: the broker takes no new sessions, and its clients
 * are disconnected one after another (MQTT 5: DISCONNECT "use another server"; older clients are
 * closed) so they reconnect and land on the next broker of their hash order without a stampede.
 */
public final class BrokerDrainer {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerDrainer.class);

  private final SessionRegistry sessions;
  private final ScheduledExecutorService scheduler;
  private final Map<Broker, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

  public BrokerDrainer(SessionRegistry sessions, ScheduledExecutorService scheduler) {
    this.sessions = sessions;
    this.scheduler = scheduler;
  }

  /** Starts draining; returns the number of sessions that will be moved. */
  public int drain(Broker broker, double sessionsPerSecond) {
    if (sessionsPerSecond <= 0) {
      throw new IllegalArgumentException("drain rate must be positive");
    }
    broker.setDraining(true);
    List<Session> on = sessions.on(broker);
    long periodNanos = (long) (1_000_000_000L / sessionsPerSecond);
    Mover mover = new Mover(broker, on);
    ScheduledFuture<?> previous =
        running.put(broker, scheduler.scheduleAtFixedRate(mover, 0, periodNanos, TimeUnit.NANOSECONDS));
    if (previous != null) {
      previous.cancel(false);
    }
    LOG.info("draining broker {}: {} session(s) at {}/s", broker, on.size(), sessionsPerSecond);
    return on.size();
  }

  /** Takes new sessions again; sessions already moved stay where they are. */
  public void undrain(Broker broker) {
    broker.setDraining(false);
    ScheduledFuture<?> task = running.remove(broker);
    if (task != null) {
      task.cancel(false);
    }
    LOG.info("broker {} takes new sessions again", broker);
  }

  private final class Mover implements Runnable {
    private final Broker broker;
    private final ArrayDeque<Session> queue = new ArrayDeque<>();
    private final Set<Session> seen = new HashSet<>();

    Mover(Broker broker, List<Session> initial) {
      this.broker = broker;
      initial.forEach(this::offer);
    }

    private void offer(Session s) {
      if (seen.add(s)) {
        queue.add(s);
      }
    }

    @Override
    public void run() {
      Session s = queue.poll();
      if (s != null) {
        s.disconnect(ReasonCode.USE_ANOTHER_SERVER, "broker drained");
        return;
      }
      List<Session> left = sessions.on(broker);
      if (left.isEmpty()) {
        ScheduledFuture<?> self = running.remove(broker);
        if (self != null) {
          self.cancel(false);
          LOG.info("broker {} drained", broker);
        }
      } else {
        // sessions that arrived while the drain started are moved too
        left.forEach(this::offer);
      }
    }
  }
}

package io.bastion.relay;

import io.bastion.mqtt.ReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The sessions this node relays, for shutdown draining and for lookups. */
public final class SessionRegistry {

  /** Hears of sessions starting (after their CONNACK) and ending, on the session's event loop. */
  public interface Listener {
    void opened(Session s);

    void closed(Session s);
  }

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> emptied;

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  void add(Session s) {
    sessions.add(s);
    listeners.forEach(l -> l.opened(s));
  }

  void remove(Session s) {
    sessions.remove(s);
    listeners.forEach(l -> l.closed(s));
    CompletableFuture<Void> e = emptied;
    if (e != null && sessions.isEmpty()) {
      e.complete(null);
    }
  }

  public int size() {
    return sessions.size();
  }

  /** Sessions currently relayed to {@code broker}. */
  public List<Session> on(io.bastion.backend.Broker broker) {
    List<Session> out = new ArrayList<>();
    for (Session s : sessions) {
      if (s.broker() == broker) {
        out.add(s);
      }
    }
    return out;
  }

  public Collection<Session> sessions() {
    return List.copyOf(sessions);
  }

  /**
   * Ends every session, spread evenly over {@code deadline} so clients reconnect elsewhere
   * gradually rather than all at once; MQTT 5 clients get DISCONNECT "server shutting down".
   * Completes when no session is left.
   */
  public CompletableFuture<Void> drain(Duration deadline, ScheduledExecutorService scheduler) {
    return drain(deadline, scheduler, ReasonCode.SERVER_SHUTTING_DOWN, null);
  }

  /**
   * As {@link #drain(Duration, ScheduledExecutorService)} with another reason, e.g. "use another
   * server" when other nodes of a cluster take the clients.
   */
  public CompletableFuture<Void> drain(Duration deadline, ScheduledExecutorService scheduler,
      ReasonCode code, String serverReference) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    emptied = done;
    List<Session> toClose = new ArrayList<>(sessions);
    if (toClose.isEmpty()) {
      done.complete(null);
      return done;
    }
    long spacingNanos = deadline.toNanos() / toClose.size();
    for (int i = 0; i < toClose.size(); i++) {
      Session s = toClose.get(i);
      scheduler.schedule(
          () -> s.disconnect(code, "shutdown", serverReference),
          spacingNanos * i,
          TimeUnit.NANOSECONDS);
    }
    return done;
  }
}

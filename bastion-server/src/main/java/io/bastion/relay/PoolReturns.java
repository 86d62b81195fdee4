package io.bastion.relay;

import io.bastion.mqtt.ReasonCode;
import io.bastion.routing.PriorityPools;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sessions back to a better pool once it has recovered: each run asks the priority rules
 * how many sessions are due (after their hold, at their return rate) and ends that many of the
 * rule's sessions on worse pools, MQTT 5 clients with DISCONNECT "use another server" (older
 * clients are closed), so they reconnect and land on the better pool.
 */
public final class PoolReturns implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(PoolReturns.class);

  private final PriorityPools priority;
  private final SessionRegistry sessions;
  /** Sessions already told to move, until they are gone: a disconnect completes on its loop. */
  private final Set<Session> told = ConcurrentHashMap.newKeySet();

  public PoolReturns(PriorityPools priority, SessionRegistry sessions) {
    this.priority = priority;
    this.sessions = sessions;
  }

  @Override
  public void run() {
    try {
      if (!priority.any()) {
        told.clear();
        return;
      }
      Collection<Session> all = sessions.sessions();
      told.retainAll(all);
      for (PriorityPools.MoveBack m : priority.tick((rule, pools) -> on(all, rule, pools).size())) {
        List<Session> due = on(all, m.rule(), m.from());
        int n = Math.min(m.count(), due.size());
        for (int i = 0; i < n; i++) {
          Session s = due.get(i);
          told.add(s);
          s.disconnect(ReasonCode.USE_ANOTHER_SERVER, "moved back to pool " + m.to());
        }
        priority.movedBack(m.rule(), n);
        LOG.debug("rule {}: {} session(s) moved back to pool {}", m.rule(), n, m.to());
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LOG.warn("moving sessions back to their pools failed", e);
    }
  }

  private List<Session> on(Collection<Session> all, String rule, List<String> pools) {
    List<Session> found = new ArrayList<>();
    for (Session s : all) {
      if (rule.equals(s.priorityRule()) && pools.contains(s.broker().pool()) && !told.contains(s)) {
        found.add(s);
      }
    }
    return found;
  }
}

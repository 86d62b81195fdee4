package io.bastion.relay;

import io.bastion.mqtt.ReasonCode;
import io.bastion.routing.PriorityPools;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  /** Sessions already told to move, until their connection is gone (a close takes a moment). */
  private final Set<Session> told = ConcurrentHashMap.newKeySet();

  public PoolReturns(PriorityPools priority, SessionRegistry sessions) {
    this.priority = priority;
    this.sessions = sessions;
  }

  @Override
  public void run() {
    try {
      told.removeIf(s -> !s.client().isOpen());
      if (!priority.any()) {
        return;
      }
      // one pass over the sessions per run: rule -> pool -> sessions placed by that rule
      Map<String, Map<String, Integer>> placed = new HashMap<>();
      for (Session s : sessions.sessions()) {
        String rule = s.priorityRule();
        if (rule != null && !told.contains(s)) {
          placed.computeIfAbsent(rule, r -> new HashMap<>()).merge(s.broker().pool(), 1, Integer::sum);
        }
      }
      List<PriorityPools.MoveBack> due = priority.tick((rule, pools) -> {
        Map<String, Integer> byPool = placed.getOrDefault(rule, Map.of());
        return pools.stream().mapToInt(p -> byPool.getOrDefault(p, 0)).sum();
      });
      for (PriorityPools.MoveBack m : due) {
        List<Session> picked = pick(m);
        for (Session s : picked) {
          told.add(s);
          s.disconnect(ReasonCode.USE_ANOTHER_SERVER, "moved back to pool " + m.to());
        }
        priority.movedBack(m.rule(), picked.size());
        LOG.debug("rule {}: {} session(s) moved back to pool {}", m.rule(), picked.size(), m.to());
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LOG.warn("moving sessions back to their pools failed", e);
    }
  }

  private List<Session> pick(PriorityPools.MoveBack m) {
    List<Session> picked = new ArrayList<>(m.count());
    for (Session s : sessions.sessions()) {
      if (picked.size() == m.count()) {
        break;
      }
      if (m.rule().equals(s.priorityRule()) && m.from().contains(s.broker().pool())
          && !told.contains(s)) {
        picked.add(s);
      }
    }
    return picked;
  }
}

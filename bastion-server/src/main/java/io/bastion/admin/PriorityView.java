package io.bastion.admin;

import io.bastion.routing.PoolCheck;
import io.bastion.routing.PriorityStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/priority}: every rule with pools by priority, which pool is active and why. */
final class PriorityView {

  private PriorityView() {}

  static List<Map<String, Object>> of(List<PriorityStatus> rules) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PriorityStatus st : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", st.rule());
      m.put("active", st.active());
      m.put("reason", st.reason());
      List<Map<String, Object>> pools = new ArrayList<>();
      for (PoolCheck c : st.pools()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("pool", c.pool());
        p.put("priority", c.priority());
        p.put("state", c.state().label());
        p.put("active", c.pool().equals(st.active()));
        p.put("availableBrokers", c.available());
        p.put("load", c.load());
        pools.add(p);
      }
      m.put("pools", pools);
      m.put("sessionsOnLowerPools", st.sessionsBelow());
      // they move back only while the active pool is up; otherwise they stay where they are
      m.put("pendingMovesBack", st.returnInSeconds() == null ? 0 : st.sessionsBelow());
      m.put("returnInSeconds", st.returnInSeconds());
      m.put("movedBack", st.movedBack());
      out.add(m);
    }
    return out;
  }
}

package io.bastion.backend;

import io.bastion.config.PoolConfig;
import io.bastion.routing.Balancer;
import io.bastion.routing.Balancers;
import io.bastion.routing.LeastConnectionsBalancer;
import java.util.ArrayList;
import java.util.List;

/** A pool of brokers with its balancer. */
public final class BrokerPool {

  private final PoolConfig config;
  private final List<Broker> brokers;
  private final Balancer balancer;
  // clients without an id have no broker of their own to return to
  private final Balancer anonymous = new LeastConnectionsBalancer();

  public BrokerPool(PoolConfig config) {
    this.config = config;
    long ejectFor = config.ejectFor().toNanos();
    this.brokers =
        config.brokers().stream()
            .map(b -> new Broker(config.name(), b, config.ejectAfterFailures(), ejectFor))
            .toList();
    this.balancer = Balancers.forPool(config);
  }

  public String name() {
    return config.name();
  }

  public PoolConfig config() {
    return config;
  }

  public List<Broker> brokers() {
    return brokers;
  }

  /**
   * Brokers to try for a new session, best first. When no broker is available, all of them are
   * tried in the same order ("panic routing"): a probe verdict that is wrong for every broker at
   * once, say after a network blip, must not refuse the whole fleet; brokers that are really
   * gone refuse the connection quickly and the client gets "server unavailable".
   */
  public List<Broker> candidates(String clientId) {
    List<Broker> available = new ArrayList<>(brokers.size());
    for (Broker b : brokers) {
      if (b.available()) {
        available.add(b);
      }
    }
    if (available.isEmpty()) {
      available.addAll(brokers);
    }
    return (clientId == null || clientId.isEmpty() ? anonymous : balancer)
        .order(clientId, available);
  }
}

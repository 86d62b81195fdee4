package io.bastion.backend;

import io.bastion.config.BrokerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.routing.Balancer;
import io.bastion.routing.Balancers;
import io.bastion.routing.LeastConnectionsBalancer;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool of brokers with its balancer. Brokers come and go at run time (reload, admin API): the
 * list is replaced as a whole, so the connect path reads one consistent snapshot without locks.
 */
public final class BrokerPool {

  private volatile PoolConfig config;
  private volatile List<Broker> brokers;
  private volatile Balancer balancer;
  private volatile BrokerLink link;
  // clients without an id have no broker of their own to return to
  private final Balancer anonymous = new LeastConnectionsBalancer();

  public BrokerPool(PoolConfig config) {
    this.config = config;
    this.brokers = config.brokers().stream().map(this::newBroker).toList();
    this.balancer = Balancers.forPool(config);
    this.link = BrokerLink.of(config);
  }

  /** The PROXY protocol and TLS layers of connections to this pool's brokers. */
  public BrokerLink link() {
    return link;
  }

  private Broker newBroker(BrokerConfig b) {
    return newBroker(b, BrokerSource.STATIC);
  }

  private Broker newBroker(BrokerConfig b, BrokerSource source) {
    // without probes nothing would ever declare a discovered broker up
    boolean healthy = !source.discovered() || !config.health().enabled();
    return new Broker(config.name(), source, b, config.ejectAfterFailures(),
        config.ejectFor().toNanos(), healthy);
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

  public Broker broker(String id) {
    for (Broker b : brokers) {
      if (b.id().equals(id)) {
        return b;
      }
    }
    return null;
  }

  /** Brokers that take new sessions now. */
  public List<Broker> available() {
    List<Broker> up = new ArrayList<>();
    for (Broker b : brokers) {
      if (b.available()) {
        up.add(b);
      }
    }
    return up;
  }

  /**
   * Brokers to try for a new session, best first. When no broker is available, all of them are
   * tried in the same order ("panic routing"): a probe verdict that is wrong for every broker at
   * once, say after a network blip, must not refuse the whole fleet; brokers that are really
   * gone refuse the connection quickly and the client gets "server unavailable". Brokers an
   * operator drained or disabled stay out even then.
   */
  public List<Broker> candidates(String clientId) {
    List<Broker> all = brokers;
    List<Broker> available = new ArrayList<>(all.size());
    for (Broker b : all) {
      if (b.available()) {
        available.add(b);
      }
    }
    if (available.isEmpty()) {
      for (Broker b : all) {
        if (!b.draining() && !b.disabled()) {
          available.add(b);
        }
      }
      if (available.isEmpty()) {
        return available;
      }
    }
    return (clientId == null || clientId.isEmpty() ? anonymous : balancer)
        .order(clientId, available);
  }

  /** Adds a broker; the caller starts its probe. */
  synchronized Broker add(BrokerConfig config, BrokerSource source) {
    Broker b = newBroker(config, source);
    List<Broker> next = new ArrayList<>(brokers);
    next.add(b);
    brokers = List.copyOf(next);
    return b;
  }

  /** Takes a broker out of rotation; its sessions are the caller's to drain. */
  synchronized boolean remove(Broker broker) {
    List<Broker> next = new ArrayList<>(brokers);
    boolean removed = next.remove(broker);
    brokers = List.copyOf(next);
    return removed;
  }

  /**
   * Applies a new configuration of this pool. A broker keeps its identity (health, sessions,
   * counters) while its id, host and port stay the same; its weight may change. Discovered
   * brokers stay: their sources own them, unless a configured broker now has the same id.
   *
   * @return the brokers that are no longer in the pool
   */
  synchronized Change update(PoolConfig next) {
    List<Broker> kept = new ArrayList<>();
    List<Broker> added = new ArrayList<>();
    List<Broker> removed = new ArrayList<>(brokers);
    // built first: material that no longer loads leaves the pool as it was
    BrokerLink nextLink = BrokerLink.of(next);
    this.config = next;
    this.link = nextLink;
    for (BrokerConfig bc : next.brokers()) {
      Broker existing = broker(bc.id());
      if (existing != null
          && existing.host().equals(bc.host())
          && existing.address().getPort() == bc.port()) {
        existing.setWeight(bc.weight());
        kept.add(existing);
        removed.remove(existing);
      } else {
        Broker b = newBroker(bc);
        kept.add(b);
        added.add(b);
      }
    }
    for (Broker b : removed.toArray(Broker[]::new)) {
      if (b.source().discovered() && kept.stream().noneMatch(k -> k.id().equals(b.id()))) {
        kept.add(b);
        removed.remove(b);
      }
    }
    brokers = List.copyOf(kept);
    balancer = Balancers.forPool(next);
    return new Change(added, removed);
  }

  record Change(List<Broker> added, List<Broker> removed) {}
}

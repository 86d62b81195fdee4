package io.bastion.backend;

import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.routing.PoolView;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All pools of one Bastion node and the health probes that watch their brokers. Pools and brokers
 * change at run time; a broker that leaves is handed to {@code retire}, which drains its sessions.
 */
public final class Backends implements AutoCloseable, PoolView {

  private volatile Map<String, BrokerPool> pools = Map.of();
  private final Map<Broker, HealthProbe> probes = new ConcurrentHashMap<>();
  private final EventLoopGroup probeGroup;
  private final Class<? extends SocketChannel> channelClass;
  private final String nodeId;
  private final Consumer<Broker> retire;
  private volatile boolean probing;

  public Backends(
      BastionConfig config,
      EventLoopGroup probeGroup,
      Class<? extends SocketChannel> channelClass,
      String nodeId,
      Consumer<Broker> retire) {
    this.probeGroup = probeGroup;
    this.channelClass = channelClass;
    this.nodeId = nodeId;
    this.retire = retire;
    Map<String, BrokerPool> initial = new LinkedHashMap<>();
    for (PoolConfig pc : config.pools()) {
      BrokerPool pool = new BrokerPool(pc);
      initial.put(pc.name(), pool);
      pool.brokers().forEach(b -> watch(pool, b));
    }
    pools = initial;
  }

  public synchronized void startProbes() {
    probing = true;
    probes.values().forEach(HealthProbe::start);
  }

  public BrokerPool pool(String name) {
    return pools.get(name);
  }

  public List<BrokerPool> pools() {
    return List.copyOf(pools.values());
  }

  @Override
  public List<Broker> available(String pool) {
    BrokerPool p = pools.get(pool);
    return p == null ? List.of() : p.available();
  }

  /** Adds a broker to a pool at run time. */
  public synchronized Broker addBroker(String poolName, BrokerConfig config) {
    return addBroker(poolName, config, BrokerSource.ADMIN);
  }

  /** Adds a broker that a source found; a discovered one takes traffic after its first probe. */
  public synchronized Broker addBroker(String poolName, BrokerConfig config, BrokerSource source) {
    BrokerPool pool = requirePool(poolName);
    Broker b = pool.add(config, source);
    watch(pool, b);
    return b;
  }

  /** Takes a broker out of its pool: no new sessions, probe stopped, sessions drained. */
  public synchronized void removeBroker(String poolName, Broker broker) {
    if (requirePool(poolName).remove(broker)) {
      unwatch(broker);
      retire.accept(broker);
    }
  }

  /** Applies the pools of a new configuration; returns a line per change. */
  public synchronized List<String> apply(BastionConfig config) {
    List<String> changes = new ArrayList<>();
    Map<String, BrokerPool> next = new LinkedHashMap<>();
    for (PoolConfig pc : config.pools()) {
      BrokerPool pool = pools.get(pc.name());
      if (pool == null) {
        pool = new BrokerPool(pc);
        BrokerPool created = pool;
        pool.brokers().forEach(b -> watch(created, b));
        changes.add("pool " + pc.name() + " added");
      } else if (!pool.config().equals(pc)) {
        boolean healthChanged = !pool.config().health().equals(pc.health());
        BrokerPool.Change change = pool.update(pc);
        for (Broker b : change.removed()) {
          unwatch(b);
          retire.accept(b);
          changes.add("broker " + b + " removed (draining)");
        }
        for (Broker b : change.added()) {
          watch(pool, b);
          changes.add("broker " + b + " added");
        }
        if (healthChanged) {
          for (Broker b : pool.brokers()) {
            unwatch(b);
            watch(pool, b);
          }
        }
        changes.add("pool " + pc.name() + " updated");
      }
      next.put(pc.name(), pool);
    }
    for (BrokerPool old : pools.values()) {
      if (!next.containsKey(old.name())) {
        for (Broker b : old.brokers()) {
          unwatch(b);
          retire.accept(b);
        }
        changes.add("pool " + old.name() + " removed (draining)");
      }
    }
    pools = next;
    return changes;
  }

  private BrokerPool requirePool(String name) {
    BrokerPool pool = pools.get(name);
    if (pool == null) {
      throw new IllegalArgumentException("no pool " + name);
    }
    return pool;
  }

  private void watch(BrokerPool pool, Broker b) {
    if (!pool.config().health().enabled()) {
      b.setHealthy(true); // nothing will ever say otherwise: a verdict from before must not stick
      return;
    }
    String probeId = "bastion-probe-" + nodeId + "-" + b.id();
    HealthProbe probe = new HealthProbe(b, pool.config().health(), probeGroup, channelClass, probeId,
        pool::link);
    probes.put(b, probe);
    if (probing) {
      probe.start();
    }
  }

  private void unwatch(Broker b) {
    HealthProbe probe = probes.remove(b);
    if (probe != null) {
      probe.stop();
    }
  }

  @Override
  public synchronized void close() {
    probing = false;
    probes.values().forEach(HealthProbe::stop);
    probes.clear();
  }
}

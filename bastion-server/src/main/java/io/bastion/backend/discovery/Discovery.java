package io.bastion.backend.discovery;

import io.bastion.backend.Backends;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.backend.BrokerSource;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.DiscoveryConfig;
import io.bastion.config.PoolConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The discovery sources of every pool. Sources refresh on one thread of their own, never on an
 * event loop; DNS queries use an event loop of {@code dnsGroup} for I/O only.
 */
public final class Discovery implements AutoCloseable {

  private final Backends backends;
  private final EventLoopGroup dnsGroup;
  private final Class<? extends DatagramChannel> datagramChannel;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Entry> pools = new LinkedHashMap<>();

  private final List<RegistrationListener> registrationListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public Discovery(Backends backends, EventLoopGroup dnsGroup,
      Class<? extends DatagramChannel> datagramChannel, Clock clock) {
    this.backends = backends;
    this.dnsGroup = dnsGroup;
    this.datagramChannel = datagramChannel;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bastion-discovery");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the sources of a configuration, or brings them in line with a new one. */
  public synchronized void apply(BastionConfig config) {
    Map<String, Entry> next = new LinkedHashMap<>();
    for (PoolConfig pc : config.pools()) {
      Entry old = pools.remove(pc.name());
      if (old != null && old.config.equals(pc.discovery())) {
        next.put(pc.name(), old);
        old.discovery.reconcile(); // configured brokers may now shadow discovered ones
        continue;
      }
      if (old != null) {
        old.discovery.close();
      }
      PoolDiscovery d = new PoolDiscovery(pc.name(), backends, sources(pc), b -> { });
      next.put(pc.name(), new Entry(pc.discovery(), d));
      d.start();
      d.reconcile(); // sources dropped from the config give up their brokers
    }
    pools.values().forEach(e -> e.discovery.close());
    pools.clear();
    pools.putAll(next);
  }

  private List<DiscoverySource> sources(PoolConfig pc) {
    DiscoveryConfig dc = pc.discovery();
    List<DiscoverySource> sources = new ArrayList<>();
    if (dc.file() != null) {
      sources.add(new BrokerFileSource(pc.name(), dc.file().path(), scheduler));
    }
    if (dc.dns() != null) {
      sources.add(new DnsSource(pc.name(), dc.dns(), dnsGroup.next(), datagramChannel, scheduler));
    }
    if (dc.registration().enabled()) {
      sources.add(new RegistrationSource(pc.name(), dc.registration().lease(), scheduler,
          id -> isHealthy(pc.name(), id), clock));
    }
    return sources;
  }

  private boolean isHealthy(String pool, String id) {
    BrokerPool p = backends.pool(pool);
    Broker b = p == null ? null : p.broker(id);
    return b != null && b.healthy();
  }

  /**
   * Registers or renews a broker that announces itself, with the load it reports.
   *
   * @param lease the lease asked for, or null for the pool's
   * @param load connections and capacity as the broker reports them, or null
   * @return when the lease runs out
   * @throws IllegalArgumentException when the pool does not exist
   * @throws IllegalStateException when the pool does not take registrations
   */
  public Instant register(String pool, BrokerConfig broker, Duration lease, Broker.ReportedLoad load) {
    Instant expires = registerHere(pool, broker, lease, load);
    registrationListeners.forEach(l -> l.registered(pool, broker, expires, load));
    return expires;
  }

  /** Hears of registrations and deregistrations made on this node (for the cluster to share). */
  public interface RegistrationListener {
    void registered(String pool, BrokerConfig broker, Instant expires, Broker.ReportedLoad load);

    void deregistered(String pool, String id);
  }

  public void addRegistrationListener(RegistrationListener listener) {
    registrationListeners.add(listener);
  }

  /** As {@link #register} without telling the listeners: a registration another node shared. */
  public Instant registerHere(String pool, BrokerConfig broker, Duration lease, Broker.ReportedLoad load) {
    RegistrationSource source = registrations(pool);
    Instant expires = source.register(broker, lease);
    BrokerPool p = backends.pool(pool);
    Broker b = p == null ? null : p.broker(broker.id());
    if (b != null) {
      b.setLeaseExpires(b.source() == BrokerSource.REGISTERED ? expires : null);
      if (load != null) {
        b.report(load);
      }
    }
    return expires;
  }

  /** Ends a registration (its broker is drained); false when the broker had none. */
  public boolean deregister(String pool, String id) {
    boolean removed = deregisterHere(pool, id);
    if (removed) {
      registrationListeners.forEach(l -> l.deregistered(pool, id));
    }
    return removed;
  }

  /** As {@link #deregister} without telling the listeners. */
  public boolean deregisterHere(String pool, String id) {
    return registrations(pool).deregister(id);
  }

  /** Whether the pool takes registrations. */
  public synchronized boolean registrationEnabled(String pool) {
    Entry e = pools.get(pool);
    return e != null && e.discovery.source(BrokerSource.REGISTERED) != null;
  }

  private synchronized RegistrationSource registrations(String pool) {
    Entry e = pools.get(pool);
    if (e == null) {
      throw new IllegalArgumentException("no pool " + pool);
    }
    DiscoverySource s = e.discovery.source(BrokerSource.REGISTERED);
    if (s == null) {
      throw new IllegalStateException("pool " + pool + " does not take registrations "
          + "(discovery.registration.enabled is off)");
    }
    return (RegistrationSource) s;
  }

  /** Every source of every pool, for the admin API and metrics. */
  public synchronized List<SourceStatus> statuses() {
    List<SourceStatus> all = new ArrayList<>();
    pools.values().forEach(e -> all.addAll(e.discovery.statuses()));
    return all;
  }

  @Override
  public synchronized void close() {
    pools.values().forEach(e -> e.discovery.close());
    pools.clear();
    scheduler.shutdownNow();
  }

  private record Entry(DiscoveryConfig config, PoolDiscovery discovery) {}

}

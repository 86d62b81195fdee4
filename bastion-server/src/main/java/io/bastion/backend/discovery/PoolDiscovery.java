package io.bastion.backend.discovery;

import io.bastion.backend.Backends;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.backend.BrokerSource;
import io.bastion.config.BrokerConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the answers of one pool's sources by broker id and brings the pool in line: a broker
 * that appears is added (and probed before it takes traffic), one that disappears is removed and
 * its sessions drained. A configured broker wins over a discovered one with the same id; among
 * sources, the file wins over DNS, DNS over registrations. A source that has not answered yet
 * leaves the brokers it found before (say, before a reload) where they are.
 */
final class PoolDiscovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PoolDiscovery.class);
  private static final List<BrokerSource> PRECEDENCE =
      List.of(BrokerSource.FILE, BrokerSource.DNS, BrokerSource.REGISTERED);

  private final String pool;
  private final Backends backends;
  private final Map<BrokerSource, DiscoverySource> sources = new EnumMap<>(BrokerSource.class);
  private final Map<BrokerSource, List<BrokerConfig>> answers = new EnumMap<>(BrokerSource.class);
  private final Consumer<Broker> added;

  PoolDiscovery(String pool, Backends backends, List<DiscoverySource> sources,
      Consumer<Broker> added) {
    this.pool = pool;
    this.backends = backends;
    this.added = added;
    sources.forEach(s -> this.sources.put(s.kind(), s));
  }

  void start() {
    for (DiscoverySource s : sources.values()) {
      s.start(answer -> answered(s.kind(), answer));
    }
  }

  List<SourceStatus> statuses() {
    return sources.values().stream().map(DiscoverySource::status).toList();
  }

  DiscoverySource source(BrokerSource kind) {
    return sources.get(kind);
  }

  private synchronized void answered(BrokerSource kind, List<BrokerConfig> answer) {
    answers.put(kind, List.copyOf(answer));
    reconcile();
  }

  /** Brings the pool in line with the merged answers; returns nothing, logs each change. */
  synchronized void reconcile() {
    BrokerPool p = backends.pool(pool);
    if (p == null) {
      return;
    }
    Map<String, Wanted> wanted = new TreeMap<>();
    for (BrokerSource kind : PRECEDENCE) {
      List<BrokerConfig> answer = answers.get(kind);
      if (answer != null) {
        for (BrokerConfig bc : answer) {
          wanted.putIfAbsent(bc.id(), new Wanted(bc, kind));
        }
      }
    }
    Set<String> present = new java.util.HashSet<>();
    List<Broker> gone = new ArrayList<>();
    for (Broker b : p.brokers()) {
      if (!b.source().discovered()) {
        wanted.remove(b.id());
        present.add(b.id());
        continue;
      }
      Wanted w = wanted.get(b.id());
      boolean owned = answers.containsKey(b.source()) || !sources.containsKey(b.source());
      if (w == null ? owned : !w.sameAs(b)) {
        gone.add(b);
      } else {
        present.add(b.id());
      }
    }
    for (Broker b : gone) {
      LOG.info("discovery: broker {} left ({}); draining its sessions", b, b.source().label());
      backends.removeBroker(pool, b);
    }
    for (Wanted w : wanted.values()) {
      if (!present.contains(w.config.id())) {
        Broker b = backends.addBroker(pool, w.config, w.source);
        LOG.info("discovery: broker {} joined ({}); it takes traffic once a probe succeeds",
            b, w.source.label());
        added.accept(b);
      }
    }
  }

  @Override
  public void close() {
    sources.values().forEach(DiscoverySource::close);
  }

  private record Wanted(BrokerConfig config, BrokerSource source) {
    boolean sameAs(Broker b) {
      return b.source() == source
          && b.address().getHostString().equals(config.host())
          && b.address().getPort() == config.port();
    }
  }
}

package io.bastion.cluster;

import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.Strategy;
import io.bastion.relay.BrokerDrainer;
import io.bastion.relay.SessionRegistry;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvents;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A node's local structures without listeners: what a ClusterState mirrors into. */
final class TestNode implements LocalNode, AutoCloseable {

  static final PoolConfig POOL = new PoolConfig("p", Strategy.CLIENT_ID_HASH,
      PoolConfig.DEFAULT_LOAD_FACTOR, PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE,
      List.of(new BrokerConfig("b1", "127.0.0.1", 1, 1), new BrokerConfig("b2", "127.0.0.1", 2, 1)),
      HealthConfig.DEFAULT, PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
      PoolConfig.DEFAULT_EJECT_FOR);

  private final String id;
  final Blocklist blocklist = new Blocklist("blocklist", Clock.systemUTC());
  final SessionRegistry sessions = new SessionRegistry();
  final SecurityEvents events = new SecurityEvents(100);
  final BrokerPool pool = new BrokerPool(POOL);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final BrokerDrainer drainer = new BrokerDrainer(sessions, scheduler);
  volatile int liveNodes;

  TestNode(String id) {
    this.id = id;
  }

  Broker broker(String id) {
    return pool.broker(id);
  }

  @Override
  public String nodeId() {
    return id;
  }

  @Override
  public Blocklist blocklist() {
    return blocklist;
  }

  @Override
  public SessionRegistry sessions() {
    return sessions;
  }

  @Override
  public SecurityEvents events() {
    return events;
  }

  @Override
  public List<BrokerPool> pools() {
    return List.of(pool);
  }

  @Override
  public BrokerDrainer drainer() {
    return drainer;
  }

  @Override
  public io.bastion.backend.discovery.Discovery discovery() {
    return null; // registrations are covered by ClusterIT, with real discovery
  }

  @Override
  public String adminAddress() {
    return "127.0.0.1:0";
  }

  @Override
  public void liveNodesChanged(int liveNodes) {
    this.liveNodes = liveNodes;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

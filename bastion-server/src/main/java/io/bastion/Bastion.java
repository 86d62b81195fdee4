package io.bastion;

import io.bastion.admin.AdminServer;
import io.bastion.admin.NodeControl;
import io.bastion.backend.Backends;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerDialer;
import io.bastion.backend.BrokerPool;
import io.bastion.backend.discovery.Discovery;
import io.bastion.cluster.ClusterShares;
import io.bastion.cluster.ClusterState;
import io.bastion.cluster.ConfigFingerprint;
import io.bastion.cluster.HazelcastClusterState;
import io.bastion.cluster.LocalNode;
import io.bastion.cluster.StandaloneClusterState;
import io.bastion.backend.BrokerPool;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.ConfigError;
import io.bastion.config.ConfigException;
import io.bastion.config.ConfigLoader;
import io.bastion.config.ListenerConfig;
import io.bastion.config.RuleConfig;
import io.bastion.detect.DetectionEngine;
import io.bastion.detect.model.FleetModel;
import io.bastion.detect.model.ModelWarmUp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.bastion.frontend.Listener;
import io.bastion.frontend.ProxyServices;
import io.bastion.relay.BrokerDrainer;
import io.bastion.relay.PoolReturns;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.PriorityPools;
import io.bastion.routing.Router;
import io.bastion.relay.Session;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.Blocklist;
import io.bastion.security.EdgeIdentity;
import io.bastion.security.EdgeSecurity;
import io.bastion.security.SecurityEvent;
import io.bastion.security.SecurityEvents;
import io.bastion.security.Violation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Bastion node: the object graph built from a configuration, and its lifecycle. */
public final class Bastion implements NodeControl, LocalNode, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Bastion.class);
  /** How often certificate files are checked for changes (a stat per file). */
  private static final long CERTIFICATE_CHECK_MILLIS = 1000;
  /** How often priority rules look at their pools; return rates are paced at this grain. */
  private static final long PRIORITY_TICK_MILLIS = 100;

  private final String nodeId;
  private final Path configFile;
  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventLoopGroup probes;
  private final EventLoopGroup adminGroup;
  private final SessionRegistry sessions = new SessionRegistry();
  private final TrafficStats traffic = new TrafficStats();
  private final SecurityEvents events = new SecurityEvents(1000);
  private final BrokerDrainer drainer;
  private final Backends backends;
  private final Discovery discovery;
  private final ProxyServices services;
  private final EdgeSecurity edge;
  private final ClusterState cluster;
  private final DetectionEngine detection;
  private final FleetModel fleetModel;
  /** Meters of parts that outlive an admin server (which is rebuilt when its settings change). */
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private volatile BastionConfig config;
  private volatile AdminServer admin;
  /** Watches certificate files off the event loops; file I/O must not stall a relay. */
  private final ScheduledExecutorService certificateWatch =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-cert-watch");
        t.setDaemon(true);
        return t;
      });
  private final PriorityPools priority;
  /** Moves sessions back to recovered pools of priority rules, a few times a second. */
  private final ScheduledExecutorService priorityTicks =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-priority");
        t.setDaemon(true);
        return t;
      });
  private volatile boolean stopping;
  private volatile boolean closed;

  private Bastion(BastionConfig config, Path configFile) {
    this.config = config;
    this.configFile = configFile;
    this.nodeId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.transport = Transport.detectAndLog();
    this.boss = transport.newGroup(1, "bastion-accept");
    this.workers = transport.newGroup(ioThreads(), "bastion-io");
    this.probes = transport.newGroup(1, "bastion-health");
    this.adminGroup = transport.newGroup(1, "bastion-admin-io");
    this.drainer = new BrokerDrainer(sessions, workers);
    this.backends =
        new Backends(config, probes, transport.clientChannel(), nodeId,
            b -> drainer.drain(b, this.config.admin().drainRate()));
    this.discovery =
        new Discovery(backends, probes, transport.datagramChannel(), java.time.Clock.systemUTC());
    this.services =
        new ProxyServices(new Router(config), backends,
            new BrokerDialer(transport.clientChannel()), sessions, traffic, events);
    this.priority = new PriorityPools(backends, System::nanoTime);
    priority.apply(config.rules());
    this.edge = new EdgeSecurity(config.security(), events, Clock.systemUTC());
    edge.blocklist().addListener(this::disconnectBlocked);
    services.installAcceptLimits(edge.limiter(), edge.allowlist());
    String fingerprint = ConfigFingerprint.of(config);
    this.cluster = config.cluster().enabled()
        ? new HazelcastClusterState(config.cluster(), fingerprint)
        : new StandaloneClusterState(fingerprint);
    this.detection = new DetectionEngine(config.detection(), edge.blocklist(), edge.allowlist(),
        edge.guards(), events, Clock.systemUTC());
    services.installDetection(detection);
    this.fleetModel = startModel(config, detection, meters);
  }

  /** The anomaly model reads every closed window and answers through the rules' responder. */
  private static FleetModel startModel(
      BastionConfig config, DetectionEngine detection, MeterRegistry meters) {
    if (!config.detection().enabled() || !config.detection().model().enabled()) {
      return null;
    }
    FleetModel model =
        new FleetModel(config.detection().model(), detection.responder(), Clock.systemUTC(), meters);
    detection.addSink(windows -> {
      model.accept(windows);
      detection.modelWarmUp(ModelWarmUp.of(model.status()));
    });
    return model;
  }

  /** One event loop per core: more only adds context switches for a relay that never blocks. */
  static int ioThreads() {
    return Integer.getInteger("bastion.io-threads", Runtime.getRuntime().availableProcessors());
  }

  /** Builds the node, starts health probes, binds every listener and the admin server. */
  public static Bastion start(BastionConfig config) throws InterruptedException {
    return start(config, null);
  }

  /** As {@link #start(BastionConfig)}, remembering the file that {@link #reload()} re-reads. */
  public static Bastion start(BastionConfig config, Path configFile) throws InterruptedException {
    Bastion bastion = new Bastion(config, configFile);
    try {
      bastion.services.replaceAdmission(bastion.edge.admission(config.security()));
      bastion.backends.startProbes();
      bastion.detection.start();
      bastion.discovery.apply(config);
      bastion.certificateWatch.scheduleWithFixedDelay(bastion::checkCertificates,
          CERTIFICATE_CHECK_MILLIS, CERTIFICATE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      bastion.priorityTicks.scheduleWithFixedDelay(
          new PoolReturns(bastion.priority, bastion.sessions), PRIORITY_TICK_MILLIS,
          PRIORITY_TICK_MILLIS, TimeUnit.MILLISECONDS);
      for (ListenerConfig lc : config.listeners()) {
        bastion.listeners.put(lc.name(), bastion.bind(lc));
      }
      if (config.admin().enabled()) {
        bastion.admin = AdminServer.start(config.admin(), bastion, bastion.transport, bastion.adminGroup);
      }
      bastion.cluster.start(bastion);
    } catch (IOException e) {
      bastion.close();
      throw new IllegalArgumentException("security: " + e.getMessage(), e);
    } catch (InterruptedException | RuntimeException e) {
      bastion.close();
      throw e;
    }
    LOG.info("bastion node {} started: {} listener(s), {} pool(s)",
        bastion.nodeId, config.listeners().size(), config.pools().size());
    return bastion;
  }

  private void checkCertificates() {
    for (Listener l : listeners()) {
      try {
        l.reloadCertificatesIfChanged();
      } catch (RuntimeException e) {
        LOG.warn("certificate check of listener {} failed", l.name(), e);
      }
    }
  }

  private Listener bind(ListenerConfig lc) throws InterruptedException {
    return Listener.bind(lc, services, transport, boss, workers);
  }

  public BastionConfig config() {
    return config;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public SessionRegistry sessions() {
    return sessions;
  }

  @Override
  public TrafficStats traffic() {
    return traffic;
  }

  @Override
  public SecurityEvents events() {
    return events;
  }

  @Override
  public BrokerDrainer drainer() {
    return drainer;
  }

  @Override
  public Discovery discovery() {
    return discovery;
  }

  @Override
  public PriorityPools priority() {
    return priority;
  }

  @Override
  public Blocklist blocklist() {
    return edge.blocklist();
  }

  @Override
  public Blocklist allowlist() {
    return edge.allowlist();
  }

  public EdgeSecurity edge() {
    return edge;
  }

  @Override
  public ClusterState cluster() {
    return cluster;
  }

  /** Where this node's admin API answers, for the other cluster members to show. */
  @Override
  public String adminAddress() {
    AdminServer a = admin;
    return a == null ? null : config.admin().bind() + ":" + a.port();
  }

  /** Cluster-wide accept rates: each node enforces its share. */
  @Override
  public void liveNodesChanged(int liveNodes) {
    edge.limiter().update(ClusterShares.perNode(config.security(), liveNodes).connections());
  }

  /**
   * Intrusion detection: {@code addSink} for closed windows, {@code responder()} to act on
   * detections, {@code log()} for the recent ones.
   */
  @Override
  public DetectionEngine detection() {
    return detection;
  }

  @Override
  public FleetModel fleetModel() {
    return fleetModel;
  }

  @Override
  public CompositeMeterRegistry meters() {
    return meters;
  }

  /** A blocklist entry added at run time ends the sessions it matches (MQTT 5: DISCONNECT 0x98). */
  private void disconnectBlocked(Blocklist.Entry entry) {
    for (Session s : sessions.sessions()) {
      InetAddress address = s.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
      EdgeIdentity id = s.identity() instanceof EdgeIdentity e ? e : null;
      String username = id != null ? id.username() : s.username();
      String fingerprint = id == null ? null : id.certificateFingerprint();
      if (Blocklist.matches(entry, address, s.clientId(), username, fingerprint)) {
        events.violation(Violation.BLOCKED_WHILE_CONNECTED, new SecurityEvent(Instant.now(), "blocked",
            Violation.BLOCKED_WHILE_CONNECTED.label(), s.listener(), String.valueOf(address),
            s.clientId(), entry.kind().key() + " " + entry.value() + ": " + entry.reason()));
        s.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "blocked: " + entry.reason());
      }
    }
  }

  public Backends backends() {
    return backends;
  }

  @Override
  public List<BrokerPool> pools() {
    return backends.pools();
  }

  @Override
  public synchronized List<Listener> listeners() {
    return List.copyOf(listeners.values());
  }

  /** The bound port of a listener (useful with port 0). */
  public int port(String listenerName) {
    Listener l;
    synchronized (this) {
      l = listeners.get(listenerName);
    }
    if (l == null) {
      throw new IllegalArgumentException("no listener " + listenerName);
    }
    return l.port();
  }

  /** The admin server's port, or -1 when it is disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public List<String> notReadyReasons() {
    List<String> reasons = new ArrayList<>();
    if (stopping || closed) {
      reasons.add("stopping");
    }
    for (BrokerPool pool : backends.pools()) {
      if (pool.brokers().stream().noneMatch(Broker::available) && !standsIn(pool.name())) {
        reasons.add("pool " + pool.name() + " has no available broker");
      }
    }
    return reasons;
  }

  /**
   * Whether a pool that is down is covered: only priority rules use it, and each of them has
   * another pool with a broker available (a site may be down while its reserve serves).
   */
  private boolean standsIn(String pool) {
    boolean used = false;
    for (RuleConfig r : config.rules()) {
      if (r.prioritized() ? r.pools().stream().anyMatch(p -> p.pool().equals(pool))
          : pool.equals(r.pool())) {
        used = true;
        if (!r.prioritized() || r.pools().stream()
            .noneMatch(p -> !p.pool().equals(pool) && !backends.available(p.pool()).isEmpty())) {
          return false;
        }
      }
    }
    return used;
  }

  @Override
  public void addBroker(String pool, BrokerConfig broker) {
    backends.addBroker(pool, broker);
    LOG.info("broker {}/{} added at {}:{}", pool, broker.id(), broker.host(), broker.port());
  }

  @Override
  public void removeBroker(String pool, String brokerId, double drainRate) {
    BrokerPool p = backends.pool(pool);
    Broker b = p == null ? null : p.broker(brokerId);
    if (b == null) {
      throw new IllegalArgumentException("no broker " + brokerId + " in pool " + pool);
    }
    backends.removeBroker(pool, b);
    drainer.drain(b, drainRate);
  }

  @Override
  public List<ConfigError> validate(String yaml) {
    try {
      // relative certificate paths mean what they would in the running node's file
      Path folder = configFile == null ? Path.of("").toAbsolutePath() : configFile.toAbsolutePath().getParent();
      ConfigLoader.parse(yaml, "candidate", System::getenv, folder);
      return List.of();
    } catch (ConfigException e) {
      return e.errors();
    }
  }

  @Override
  public List<String> reload() throws ReloadException {
    if (configFile == null) {
      throw new ReloadException("this node was started without a configuration file", List.of());
    }
    BastionConfig next;
    try {
      next = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      throw new ReloadException("invalid configuration; nothing changed", e.errors());
    } catch (IOException e) {
      throw new ReloadException("cannot read " + configFile + ": " + e.getMessage(), List.of());
    }
    return apply(next);
  }

  /**
   * Applies a new configuration without dropping sessions: listeners are bound first (so a port
   * that cannot be bound changes nothing), then pools, rules and the rest are swapped in.
   */
  public synchronized List<String> apply(BastionConfig next) throws ReloadException {
    List<String> changes = new ArrayList<>();
    io.bastion.frontend.ConnectAdmission admission;
    try {
      // files first: a password file or key that cannot be read changes nothing
      admission = edge.admission(next.security());
    } catch (IOException | RuntimeException e) {
      throw new ReloadException("security: " + e.getMessage() + "; nothing changed", List.of());
    }
    Map<String, Listener> bound = new LinkedHashMap<>();
    try {
      for (ListenerConfig lc : next.listeners()) {
        Listener old = listeners.get(lc.name());
        boolean newKind = old != null && old.config().protocol() != lc.protocol();
        if (newKind && sameAddress(old.config(), lc)) {
          // another protocol needs another socket on the same port: the old one must go first
          old.close();
        }
        if (old == null || newKind || !sameAddress(old.config(), lc)) {
          bound.put(lc.name(), bind(lc));
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      bound.values().forEach(Listener::close);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ReloadException("cannot bind a listener (" + e.getMessage() + "); nothing changed", List.of());
    }
    if (!Objects.equals(next.admin(), config.admin())) {
      try {
        changes.add(replaceAdmin(next));
      } catch (ReloadException e) {
        bound.values().forEach(Listener::close);
        throw e;
      }
    }
    for (ListenerConfig lc : next.listeners()) {
      Listener old = listeners.get(lc.name());
      Listener fresh = bound.get(lc.name());
      if (fresh != null) {
        if (old != null) {
          old.close();
        }
        listeners.put(lc.name(), fresh);
        changes.add("listener " + lc.name() + (old == null ? " added" : " moved") + " to " + fresh.address());
      } else {
        if (!old.config().equals(lc)) {
          changes.add("listener " + lc.name() + " updated");
        }
        old.update(lc); // also re-reads its certificates: a reload renews them
      }
    }
    for (String name : new ArrayList<>(listeners.keySet())) {
      if (next.listeners().stream().noneMatch(l -> l.name().equals(name))) {
        listeners.remove(name).close();
        changes.add("listener " + name + " removed (its sessions stay)");
      }
    }
    changes.addAll(backends.apply(next));
    discovery.apply(next);
    if (!next.rules().equals(config.rules()) || !next.pools().equals(config.pools())) {
      services.replaceRouter(new Router(next));
      priority.apply(next.rules());
      if (!next.rules().equals(config.rules())) {
        changes.add("rules updated");
      }
    }
    edge.apply(ClusterShares.perNode(next.security(), cluster.liveNodes()));
    services.replaceAdmission(admission);
    if (!next.detection().equals(config.detection())) {
      detection.apply(next.detection());
      changes.add("detection settings updated");
      if (!next.detection().model().equals(config.detection().model())) {
        changes.add("anomaly model settings changed: they apply at the next restart");
      }
    }
    cluster.fingerprint(ConfigFingerprint.of(next));
    if (!next.cluster().equals(config.cluster())) {
      changes.add("cluster settings changed: they apply at the next restart");
    }
    if (!next.security().equals(config.security())) {
      changes.add("security settings updated");
    }
    if (!next.shutdown().equals(config.shutdown())) {
      changes.add("shutdown settings updated");
    }

    config = next;
    LOG.info("configuration reloaded: {}", changes.isEmpty() ? "no changes" : String.join("; ", changes));
    return changes;
  }

  /** Starts the admin server with new settings before stopping the old one. */
  private String replaceAdmin(BastionConfig next) throws ReloadException {
    AdminServer fresh = null;
    if (next.admin().enabled()) {
      try {
        fresh = AdminServer.start(next.admin(), this, transport, adminGroup);
      } catch (InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new ReloadException("cannot start the admin server (" + e.getMessage() + "); nothing changed", List.of());
      }
    }
    AdminServer old = admin;
    admin = fresh;
    if (old != null) {
      // this very request may be running on the old server: let its answer go out first
      CompletableFuture.runAsync(old::close, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
    }
    return fresh == null ? "admin server stopped" : "admin server restarted on port " + fresh.port();
  }

  private static boolean sameAddress(ListenerConfig a, ListenerConfig b) {
    return a.bind().equals(b.bind()) && a.port() == b.port();
  }

  /**
   * Graceful stop: listeners stop accepting at once, sessions are ended spread over {@code
   * deadline}, then everything is released.
   */
  public void shutdown(Duration deadline) {
    if (closed) {
      return;
    }
    stopping = true;
    listeners().forEach(Listener::close);
    int open = sessions.size();
    LOG.info("stopping: no new connections; draining {} session(s) within {}", open, deadline);
    // with other nodes alive, clients are told to use another server: one of them takes them
    ReasonCode handOff = cluster.liveNodes() > 1 ? ReasonCode.USE_ANOTHER_SERVER : ReasonCode.SERVER_SHUTTING_DOWN;
    try {
      sessions.drain(deadline, workers, handOff, config.cluster().serverReference()).get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("{} session(s) still open after the drain deadline; closing them", sessions.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("drain failed", e);
    }
    close();
  }

  /** Immediate stop: every connection is closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    certificateWatch.shutdownNow();
    priorityTicks.shutdownNow();
    listeners().forEach(Listener::close);
    cluster.close(); // after the hand-off: the others learn at once that this node is gone
    if (admin != null) {
      admin.close();
    }
    discovery.close();
    backends.close();
    detection.close();
    if (fleetModel != null) {
      fleetModel.close(); // saves a last checkpoint once no more windows arrive
    }
    edge.close();
    for (EventLoopGroup g : List.of(boss, workers, probes, adminGroup)) {
      g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    for (EventLoopGroup g : List.of(boss, workers, probes, adminGroup)) {
      g.terminationFuture().syncUninterruptibly();
    }
    LOG.info("bastion node {} stopped", nodeId);
  }
}

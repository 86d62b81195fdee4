package io.bastion.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicate;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import com.hazelcast.topic.ITopic;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.Cidr;
import io.bastion.config.ClusterConfig;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bastion node as an embedded Hazelcast member. Every shared item lives in a Hazelcast structure
 * and is mirrored into the node's own structures by listeners; nothing on the CONNECT path waits
 * for the cluster.
 *
 * <ul>
 *   <li>blocklist: map of versioned entries, removals as tombstones, newest version wins;
 *   <li>broker admin state (drains; disabled and weight): maps guarded by a majority
 *       (split-brain protection);
 *   <li>health views: one entry per node and broker; a majority saying down takes a broker out;
 *   <li>client ownership: written after CONNACK; the older of two connections is closed;
 *   <li>security events: a ring every node reads.
 * </ul>
 */
public final class HazelcastClusterState implements ClusterState {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastClusterState.class);
  private static final long TOMBSTONE_TTL_SECONDS = 3600;
  private static final long HEALTH_PUBLISH_MILLIS = 250;
  private static final int EVENTS_PER_SECOND = 200;
  private static final long ALONE_GRACE_SECONDS = 4;

  private final ClusterConfig config;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-cluster");
        t.setDaemon(true);
        return t;
      });
  private final ThreadLocal<Boolean> mirroring = ThreadLocal.withInitial(() -> false);
  private final Map<String, Long> blockVersions = new ConcurrentHashMap<>();
  private final Map<String, Long> brokerVersions = new ConcurrentHashMap<>();
  private final Map<String, Long> settingsVersions = new ConcurrentHashMap<>();
  private final Map<String, String> health = new ConcurrentHashMap<>();
  private final Map<String, String> healthPublished = new ConcurrentHashMap<>();
  private final Map<String, MemberRecord> memberRecords = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicLong versionClock = new AtomicLong();
  private final AtomicLong eventSecond = new AtomicLong();
  private final AtomicLong eventsThisSecond = new AtomicLong();
  private final PropagationStats propagation = new PropagationStats();
  private final List<Cidr> trusted = new CopyOnWriteArrayList<>();
  private volatile String fingerprint;
  private volatile LocalNode node;
  private volatile HazelcastInstance hz;
  private volatile String mode = "joining";
  private volatile boolean closed;
  private volatile boolean mismatch;
  private ClientOwnership clients;
  private SharedRegistrations registrations;

  public HazelcastClusterState(ClusterConfig config, String fingerprint) {
    this.config = config;
    this.fingerprint = fingerprint;
  }

  @Override
  public void start(LocalNode node) {
    this.node = node;
    node.blocklist().addListener(new LocalBlocks());
    clients = new ClientOwnership(node, () -> hz);
    node.sessions().addListener(clients);
    registrations = new SharedRegistrations(node, () -> hz, mirroring, this::nextVersion);
    node.events().sink(this::shareEvent);
    if (node.discovery() != null) {
      node.discovery().addRegistrationListener(registrations);
    }
    node.liveNodesChanged(1);
    worker.execute(this::join);
  }

  // ---------------------------------------------------------------- joining

  private void join() {
    List<String> seeds = seeds();
    trustedNetworks(seeds);
    HazelcastInstance instance;
    try {
      LOG.info("cluster '{}': joining from {}:{} with seeds {} (serving on this node's own "
          + "configuration meanwhile)", config.name(), config.bind(), config.port(), seeds);
      instance = Hazelcast.newHazelcastInstance(
          HazelcastConfigs.build(config, "bastion-" + node.nodeId(), seeds));
    } catch (RuntimeException e) {
      mode = "standalone";
      String why = "cannot start the cluster member on " + config.bind() + ":" + config.port() + ": "
          + e.getMessage() + "; this node serves on its own";
      problems.add(why);
      LOG.error("cluster: {}", why);
      return;
    }
    if (closed) {
      instance.getLifecycleService().terminate();
      return;
    }
    try {
      wire(instance);
    } catch (HazelcastInstanceNotActiveException e) {
      LOG.warn("cluster: member stopped while joining");
      return;
    }
    hz = instance;
    mode = "clustered";
    publishSelf();
    syncBlocklist(instance);
    syncBrokers(instance);
    registrations.sync(instance);
    clients.claimAll();
    worker.scheduleWithFixedDelay(this::publishHealth, 0, HEALTH_PUBLISH_MILLIS, TimeUnit.MILLISECONDS);
    membersChanged();
  }

  private List<String> seeds() {
    Set<String> seeds = new LinkedHashSet<>(config.members());
    if (config.dns() != null) {
      try {
        for (InetAddress a : InetAddress.getAllByName(config.dns())) {
          seeds.add(a.getHostAddress() + ":" + config.port());
        }
      } catch (UnknownHostException e) {
        String why = "DNS name " + config.dns() + " of the members does not resolve: " + e.getMessage();
        problems.add(why);
        LOG.warn("cluster: {}", why);
      }
    }
    return List.copyOf(seeds);
  }

  /** Members may come from the configured networks, or else from the seeds and this interface. */
  private void trustedNetworks(List<String> seeds) {
    if (!config.trusted().isEmpty()) {
      config.trusted().forEach(t -> trusted.add(Cidr.parse(t)));
      return;
    }
    trusted.add(Cidr.parse(config.bind()));
    for (String seed : seeds) {
      String host = seed.startsWith("[") ? seed.substring(1, seed.indexOf(']'))
          : seed.indexOf(':') == seed.lastIndexOf(':') && seed.contains(":")
              ? seed.substring(0, seed.indexOf(':')) : seed;
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          trusted.add(Cidr.parse(a.getHostAddress()));
        }
      } catch (UnknownHostException | IllegalArgumentException e) {
        LOG.warn("cluster: seed {} does not resolve; members from it are not trusted", seed);
      }
    }
  }

  private boolean isTrusted(Member m) {
    byte[] address = m.getSocketAddress().getAddress().getAddress();
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private void wire(HazelcastInstance instance) {
    IMap<String, SharedBlock> blocks = instance.getMap(HazelcastConfigs.BLOCKLIST);
    blocks.addEntryListener(new MirrorListener<SharedBlock>(this::mirrorBlock), true);
    IMap<String, BrokerAdminState> brokers = instance.getMap(HazelcastConfigs.BROKERS);
    brokers.addEntryListener(new MirrorListener<BrokerAdminState>(this::mirrorBroker), true);
    instance.<String, BrokerSettings>getMap(HazelcastConfigs.BROKER_SETTINGS)
        .addEntryListener(new MirrorListener<BrokerSettings>(this::mirrorSettings), true);
    instance.<String, SharedRegistration>getMap(HazelcastConfigs.REGISTRATIONS)
        .addEntryListener(new MirrorListener<SharedRegistration>(registrations::mirror), true);
    IMap<String, String> healthMap = instance.getMap(HazelcastConfigs.HEALTH);
    healthMap.addEntryListener(new HealthMirror(health), true);
    health.putAll(healthMap);
    IMap<String, MemberRecord> members = instance.getMap(HazelcastConfigs.MEMBERS);
    members.addEntryListener(new MirrorListener<MemberRecord>(r -> {
      memberRecords.put(r.uuid(), r);
      checkFingerprints();
    }), true);
    memberRecords.putAll(members);
    ITopic<SharedBlock> fastBlocks = instance.getTopic(HazelcastConfigs.BLOCKS);
    fastBlocks.addMessageListener(m -> mirrorBlock(m.getMessageObject()));
    ITopic<String> takeovers = instance.getTopic(HazelcastConfigs.TAKEOVERS);
    takeovers.addMessageListener(m -> clients.takeover(m.getMessageObject()));
    instance.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
        worker.execute(this::afterMerge);
      }
    });
    instance.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        if (!isTrusted(e.getMember())) {
          String why = "member " + e.getMember().getSocketAddress() + " is not a trusted address "
              + "(cluster.trusted) and is removed; check who runs a member with this cluster's name";
          if (!problems.contains(why)) {
            problems.add(why);
          }
          LOG.error("cluster: {}", why);
          eject(instance, e.getMember());
        }
        worker.execute(HazelcastClusterState.this::membersChanged);
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        worker.execute(() -> forget(e.getMember()));
      }
    });
  }

  /**
   * The halves of a split are one cluster again: the merge policies picked the newest values;
   * this node takes them over and announces itself and its clients again.
   */
  private void afterMerge() {
    HazelcastInstance instance = hz;
    if (instance == null || closed) {
      return;
    }
    LOG.info("cluster: merged after a split; re-reading shared state");
    publishSelf();
    memberRecords.putAll(instance.<String, MemberRecord>getMap(HazelcastConfigs.MEMBERS));
    syncBlocklist(instance);
    syncBrokers(instance);
    registrations.sync(instance);
    health.putAll(instance.<String, String>getMap(HazelcastConfigs.HEALTH));
    healthPublished.clear();
    clients.claimAll();
    membersChanged();
  }

  /**
   * Declares an untrusted member dead, so that the cluster drops it. The open-source engine has no
   * admission hook; this is the engine's own failure path, reached through its internal API.
   */
  private static void eject(HazelcastInstance instance, Member member) {
    try {
      if (instance instanceof com.hazelcast.instance.impl.HazelcastInstanceProxy proxy) {
        proxy.getOriginal().node.getClusterService().suspectMember(member, "not a trusted address", true);
      }
    } catch (RuntimeException e) {
      LOG.warn("cluster: could not remove untrusted member {}: {}", member.getSocketAddress(), e.toString());
    }
  }

  private void membersChanged() {
    HazelcastInstance instance = hz;
    if (instance == null || closed) {
      return;
    }
    int size;
    try {
      size = instance.getCluster().getMembers().size();
    } catch (HazelcastInstanceNotActiveException e) {
      return;
    }
    boolean othersExpected = config.members().size() > 1 || config.dns() != null || config.multicast();
    String alone = "no other member has joined: check that the seeds " + config.members()
        + " run with cluster.name '" + config.name() + "', are reachable on their cluster port "
        + "and trust this node; serving on this node's own configuration meanwhile";
    problems.removeIf(p -> p.startsWith("no other member has joined"));
    if (size == 1 && othersExpected) {
      // members starting together join within a few seconds: only a lasting solitude is news
      worker.schedule(() -> {
        if (hz != null && liveNodes() == 1 && problems.stream().noneMatch(p -> p.equals(alone))) {
          problems.add(alone);
          LOG.warn("cluster: {}", alone);
        }
      }, ALONE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
    LOG.info("cluster '{}': {} member(s)", config.name(), size);
    node.liveNodesChanged(size);
    checkFingerprints();
  }

  /** A member left: its health views and client ids go with it (done once, by the oldest). */
  private void forget(Member gone) {
    membersChanged();
    HazelcastInstance instance = hz;
    MemberRecord record = memberRecords.remove(gone.getUuid().toString());
    if (instance == null || record == null) {
      return;
    }
    health.keySet().removeIf(k -> k.startsWith(record.node() + "|"));
    try {
      Member oldest = instance.getCluster().getMembers().iterator().next();
      if (!oldest.localMember()) {
        return;
      }
      String prefix = record.node() + "|";
      String ownerPrefix = record.node() + "\t";
      instance.<String, MemberRecord>getMap(HazelcastConfigs.MEMBERS).delete(record.uuid());
      instance.<String, String>getMap(HazelcastConfigs.HEALTH)
          .removeAll((Predicate<String, String>) e -> e.getKey().startsWith(prefix));
      instance.<String, String>getMap(HazelcastConfigs.CLIENTS)
          .removeAll((Predicate<String, String>) e -> e.getValue().startsWith(ownerPrefix));
    } catch (RuntimeException e) {
      LOG.warn("cluster: cleaning up after member {} failed: {}", record.node(), e.toString());
    }
  }

  private void publishSelf() {
    HazelcastInstance instance = hz;
    if (instance == null) {
      return;
    }
    Member self = instance.getCluster().getLocalMember();
    MemberRecord r = new MemberRecord(node.nodeId(), self.getUuid().toString(),
        self.getSocketAddress().getHostString() + ":" + self.getSocketAddress().getPort(),
        node.adminAddress(), fingerprint);
    memberRecords.put(r.uuid(), r);
    instance.<String, MemberRecord>getMap(HazelcastConfigs.MEMBERS).setAsync(r.uuid(), r);
  }

  private void checkFingerprints() {
    boolean now = false;
    for (MemberRecord r : liveRecords()) {
      if (!r.fingerprint().equals(fingerprint)) {
        now = true;
        if (!mismatch) {
          LOG.warn("cluster: member {} at {} routes with configuration {} but this node with {}: "
              + "the same client id may land on different brokers; make pools and rules equal",
              r.node(), r.address(), r.fingerprint(), fingerprint);
        }
      }
    }
    mismatch = now;
  }

  private List<MemberRecord> liveRecords() {
    HazelcastInstance instance = hz;
    List<MemberRecord> out = new ArrayList<>();
    if (instance == null) {
      return out;
    }
    try {
      for (Member m : instance.getCluster().getMembers()) {
        MemberRecord r = memberRecords.get(m.getUuid().toString());
        if (r != null) {
          out.add(r);
        }
      }
    } catch (HazelcastInstanceNotActiveException e) {
      // leaving
    }
    return out;
  }

  // ---------------------------------------------------------------- blocklist

  /** Publishes changes made on this node (admin API, detectors); mirrored ones are not echoed. */
  private final class LocalBlocks implements Blocklist.Listener {
    @Override
    public void added(Blocklist.Entry e) {
      if (mirroring.get() || Blocklist.CONFIG.equals(e.source())) {
        return;
      }
      publishBlock(e, false);
    }

    @Override
    public void removed(Blocklist.Entry e) {
      if (mirroring.get() || Blocklist.CONFIG.equals(e.source()) || e.expired(Instant.now())) {
        return;
      }
      publishBlock(e, true);
    }
  }

  private void publishBlock(Blocklist.Entry e, boolean tombstone) {
    long version = nextVersion();
    SharedBlock b = new SharedBlock(e.kind().key(), e.value(), e.reason(), e.source(),
        e.expires() == null ? 0 : e.expires().toEpochMilli(), version, node.nodeId(), tombstone);
    blockVersions.put(b.key(), version);
    HazelcastInstance instance = hz;
    if (instance == null) {
      return; // pushed when the join completes
    }
    long ttl = tombstone ? TOMBSTONE_TTL_SECONDS
        : e.expires() == null ? 0 : Math.max(1, e.expires().getEpochSecond() - Instant.now().getEpochSecond() + 60);
    // straight to every member as well: one hop instead of two when another member owns the key;
    // whichever copy arrives first is applied, the map stays the record that survives splits
    instance.<SharedBlock>getTopic(HazelcastConfigs.BLOCKS).publishAsync(b);
    instance.<String, SharedBlock>getMap(HazelcastConfigs.BLOCKLIST)
        .submitToKey(b.key(), new NewerWins<>(b, ttl))
        .whenComplete((stored, failure) -> {
          if (failure != null) {
            LOG.warn("cluster: sharing blocklist entry {} failed: {}", b.key(), failure.toString());
          }
        });
  }

  private void mirrorBlock(SharedBlock b) {
    boolean[] newer = {false};
    blockVersions.compute(b.key(), (k, known) -> {
      if (known != null && known >= b.version()) {
        return known;
      }
      newer[0] = true;
      return b.version();
    });
    if (!newer[0]) {
      return; // this version (or a newer one) arrived by the other path already
    }
    if (!b.node().equals(node.nodeId())) {
      propagation.record(nowMicros() - b.version());
    }
    Kind kind = Kind.ofKey(b.kind());
    mirroring.set(true);
    try {
      if (b.tombstone()) {
        node.blocklist().remove(kind, b.value());
      } else {
        node.blocklist().add(kind, b.value(), b.reason(),
            b.expires() == 0 ? null : Instant.ofEpochMilli(b.expires()), b.source());
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("cluster: shared blocklist entry {} is not valid here: {}", b.key(), e.getMessage());
    } finally {
      mirroring.set(false);
    }
  }

  /** On joining: what the cluster knows comes in, what only this node knew goes out. */
  private void syncBlocklist(HazelcastInstance instance) {
    IMap<String, SharedBlock> map = instance.getMap(HazelcastConfigs.BLOCKLIST);
    for (SharedBlock b : map.values()) {
      mirrorBlock(b);
    }
    for (Blocklist.Entry e : node.blocklist().list()) {
      if (!Blocklist.CONFIG.equals(e.source()) && !map.containsKey(SharedBlock.key(e.kind(), e.value()))) {
        publishBlock(e, false);
      }
    }
  }

  // ---------------------------------------------------------------- brokers

  @Override
  public int drain(Broker broker, boolean draining, double sessionsPerSecond) {
    HazelcastInstance instance = hz;
    if (instance == null) {
      throw new ClusterUnavailableException("still joining the cluster; try again in a few seconds");
    }
    requireQuorum();
    long version = nextVersion();
    BrokerAdminState state = new BrokerAdminState(broker.pool(), broker.id(), draining,
        sessionsPerSecond, version, node.nodeId());
    String key = BrokerAdminState.key(broker.pool(), broker.id());
    brokerVersions.put(key, version);
    writeWithMajority(instance, HazelcastConfigs.BROKERS, key, state);
    return StandaloneClusterState.applyDrain(node, broker, draining, sessionsPerSecond);
  }

  @Override
  public void configure(Broker broker, boolean disabled, int weight) {
    HazelcastInstance instance = hz;
    if (instance == null) {
      throw new ClusterUnavailableException("still joining the cluster; try again in a few seconds");
    }
    requireQuorum();
    long version = nextVersion();
    BrokerSettings settings = new BrokerSettings(broker.pool(), broker.id(), disabled, weight,
        version, node.nodeId());
    String key = BrokerAdminState.key(broker.pool(), broker.id());
    settingsVersions.put(key, version);
    writeWithMajority(instance, HazelcastConfigs.BROKER_SETTINGS, key, settings);
    StandaloneClusterState.applySettings(broker, disabled, weight);
  }

  private void requireQuorum() {
    int members = liveNodes();
    int quorum = config.effectiveQuorum();
    if (members < quorum) {
      throw new ClusterUnavailableException(members + " of the cluster's members reachable, "
          + quorum + " needed to change a broker on every node (cluster.quorum)");
    }
  }

  /** Stores a broker change only while a majority of the members agrees, else throws. */
  private <V extends Versioned> void writeWithMajority(HazelcastInstance instance, String map,
      String key, V state) {
    try {
      instance.<String, V>getMap(map)
          .submitToKey(key, new NewerWins<>(state, 0)).toCompletableFuture().get(3, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SplitBrainProtectionException) {
        throw new ClusterUnavailableException("too few members reachable to change a broker on "
            + "every node (" + e.getCause().getMessage() + ")");
      }
      throw new ClusterUnavailableException("the cluster did not take the change: " + e.getCause());
    } catch (TimeoutException e) {
      throw new ClusterUnavailableException("the cluster did not confirm the change within 3 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterUnavailableException("interrupted");
    }
  }

  private void mirrorSettings(BrokerSettings s) {
    String key = BrokerAdminState.key(s.pool(), s.broker());
    Long known = settingsVersions.get(key);
    if (known != null && known >= s.version()) {
      return;
    }
    settingsVersions.put(key, s.version());
    Broker b = broker(s.pool(), s.broker());
    if (b == null) {
      LOG.warn("cluster: node {} changed broker {} which this node does not know", s.node(), key);
      return;
    }
    if (b.disabled() != s.disabled() || b.adminWeight() != s.weight()) {
      LOG.info("cluster: node {} sets broker {} {}, weight {}", s.node(), key,
          s.disabled() ? "disabled" : "enabled", s.weight() == 0 ? "as configured" : s.weight());
      StandaloneClusterState.applySettings(b, s.disabled(), s.weight());
    }
  }

  private void mirrorBroker(BrokerAdminState s) {
    String key = BrokerAdminState.key(s.pool(), s.broker());
    Long known = brokerVersions.get(key);
    if (known != null && known >= s.version()) {
      return;
    }
    brokerVersions.put(key, s.version());
    Broker b = broker(s.pool(), s.broker());
    if (b == null) {
      LOG.warn("cluster: node {} changed broker {} which this node does not know", s.node(), key);
      return;
    }
    if (b.draining() != s.draining()) {
      LOG.info("cluster: node {} {} broker {}", s.node(), s.draining() ? "drains" : "undrains", key);
      StandaloneClusterState.applyDrain(node, b, s.draining(), s.rate());
    }
  }

  private void syncBrokers(HazelcastInstance instance) {
    for (BrokerAdminState s : instance.<String, BrokerAdminState>getMap(HazelcastConfigs.BROKERS).values()) {
      mirrorBroker(s);
    }
    for (BrokerSettings s : instance.<String, BrokerSettings>getMap(HazelcastConfigs.BROKER_SETTINGS).values()) {
      mirrorSettings(s);
    }
  }

  private Broker broker(String pool, String id) {
    for (BrokerPool p : node.pools()) {
      if (p.name().equals(pool)) {
        return p.broker(id);
      }
    }
    return null;
  }

  /** Shares this node's probe verdicts and session counts; applies the majority's verdicts. */
  private void publishHealth() {
    HazelcastInstance instance = hz;
    if (instance == null || closed) {
      return;
    }
    try {
      IMap<String, String> map = instance.getMap(HazelcastConfigs.HEALTH);
      int live = liveNodes();
      Set<String> liveNodeIds = new java.util.HashSet<>();
      liveRecords().forEach(r -> liveNodeIds.add(r.node()));
      for (BrokerPool p : node.pools()) {
        for (Broker b : p.brokers()) {
          String suffix = "|" + p.name() + "|" + b.id();
          String key = node.nodeId() + suffix;
          String value = (b.healthy() ? "up " : "down ") + b.sessions();
          if (!value.equals(healthPublished.get(key))) {
            healthPublished.put(key, value);
            health.put(key, value);
            map.setAsync(key, value);
          }
          int down = 0;
          int peerSessions = 0;
          for (Map.Entry<String, String> e : health.entrySet()) {
            String reporter = e.getKey().substring(0, e.getKey().indexOf('|'));
            if (!e.getKey().endsWith(suffix) || !liveNodeIds.contains(reporter)) {
              continue;
            }
            if (e.getValue().startsWith("down")) {
              down++;
            }
            if (!reporter.equals(node.nodeId())) {
              peerSessions += sessionsIn(e.getValue());
            }
          }
          b.setDownByPeers(down * 2 > live);
          b.setPeerSessions(peerSessions);
        }
      }
    } catch (HazelcastInstanceNotActiveException e) {
      // leaving
    } catch (RuntimeException e) {
      LOG.warn("cluster: sharing health views failed: {}", e.toString());
    }
  }

  /** The session count of a health view ({@code "up 12"}); 0 when unreadable. */
  private static int sessionsIn(String view) {
    try {
      return Integer.parseInt(view.substring(view.indexOf(' ') + 1));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Sessions on each broker as every live node reports them. */
  private Map<String, Integer> sessionsPerBroker() {
    Set<String> live = new java.util.HashSet<>();
    liveRecords().forEach(r -> live.add(r.node()));
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : health.entrySet()) {
      if (!live.contains(e.getKey().substring(0, e.getKey().indexOf('|')))) {
        continue;
      }
      String broker = e.getKey().substring(e.getKey().indexOf('|') + 1).replace('|', '/');
      int sessions = Integer.parseInt(e.getValue().substring(e.getValue().indexOf(' ') + 1));
      out.merge(broker, sessions, Integer::sum);
    }
    return out;
  }

  // ---------------------------------------------------------------- client ownership

  @Override
  public List<ClientLocation> locate(String clientId) {
    return clients.locate(clientId);
  }

  /** Bytes the shared client ids take on this member (entries and backups). */
  public long clientMemoryBytes() {
    return clients.memoryBytes();
  }

  // ---------------------------------------------------------------- events

  private void shareEvent(SecurityEvent e) {
    HazelcastInstance instance = hz;
    if (instance == null || closed) {
      return;
    }
    long second = System.nanoTime() / 1_000_000_000L;
    long current = eventSecond.get();
    if (current != second && eventSecond.compareAndSet(current, second)) {
      eventsThisSecond.set(0);
    }
    if (eventsThisSecond.incrementAndGet() > EVENTS_PER_SECOND) {
      return; // a flood stays in the node's own ring; the shared one keeps a cross-section
    }
    try {
      instance.<ClusterEvent>getRingbuffer(HazelcastConfigs.EVENTS)
          .addAsync(ClusterEvent.of(node.nodeId(), e), OverflowPolicy.OVERWRITE);
    } catch (HazelcastInstanceNotActiveException ex) {
      // leaving
    }
  }

  @Override
  public List<ClusterEvent> events(int limit) {
    HazelcastInstance instance = hz;
    if (instance == null) {
      return node.events().recent(limit).stream().map(e -> ClusterEvent.of(node.nodeId(), e)).toList();
    }
    Ringbuffer<ClusterEvent> ring = instance.getRingbuffer(HazelcastConfigs.EVENTS);
    long tail = ring.tailSequence();
    if (tail < 0) {
      return List.of();
    }
    long from = Math.max(ring.headSequence(), tail - limit + 1);
    try {
      ReadResultSet<ClusterEvent> read = ring.readManyAsync(from, 0, (int) (tail - from + 1), null)
          .toCompletableFuture().get(2, TimeUnit.SECONDS);
      List<ClusterEvent> out = new ArrayList<>();
      read.forEach(out::add);
      Collections.reverse(out);
      return out;
    } catch (ExecutionException | TimeoutException e) {
      throw new ClusterUnavailableException("cannot read the cluster's events: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterUnavailableException("interrupted");
    }
  }

  // ---------------------------------------------------------------- view

  @Override
  public ClusterView view() {
    HazelcastInstance instance = hz;
    List<ClusterView.Member> members = new ArrayList<>();
    if (instance != null) {
      try {
        for (Member m : instance.getCluster().getMembers()) {
          MemberRecord r = memberRecords.get(m.getUuid().toString());
          String address = m.getSocketAddress().getHostString() + ":" + m.getSocketAddress().getPort();
          members.add(new ClusterView.Member(r == null ? null : r.node(), address,
              r == null ? null : r.admin(), r == null ? null : r.fingerprint(), m.localMember(),
              isTrusted(m)));
        }
      } catch (HazelcastInstanceNotActiveException e) {
        // leaving
      }
    }
    int live = members.isEmpty() ? 1 : members.size();
    return new ClusterView(mode, config.name(), node.nodeId(), fingerprint, config.effectiveQuorum(),
        instance != null && live >= config.effectiveQuorum(), mismatch, members, List.copyOf(problems),
        propagation.snapshot(), instance == null ? StandaloneClusterState.sessions(node) : sessionsPerBroker());
  }

  @Override
  public int liveNodes() {
    HazelcastInstance instance = hz;
    try {
      return instance == null ? 1 : instance.getCluster().getMembers().size();
    } catch (HazelcastInstanceNotActiveException e) {
      return 1;
    }
  }

  @Override
  public void fingerprint(String fingerprint) {
    if (!fingerprint.equals(this.fingerprint)) {
      this.fingerprint = fingerprint;
      worker.execute(() -> {
        publishSelf();
        checkFingerprints();
      });
    }
  }

  /** The engine member, for tests that split and heal the cluster. */
  HazelcastInstance instance() {
    return hz;
  }

  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
    if (clients != null) {
      clients.close();
    }
    HazelcastInstance instance = hz;
    hz = null;
    mode = "left";
    if (instance != null) {
      try {
        instance.getLifecycleService().shutdown(); // hands its partitions to the others first
      } catch (RuntimeException e) {
        LOG.warn("cluster: leaving failed: {}", e.toString());
      }
    }
  }

  long nextVersion() {
    long now = nowMicros();
    return versionClock.updateAndGet(last -> Math.max(now, last + 1));
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** Hands every added or updated value of a map to {@code sink}. */
  private record MirrorListener<V>(java.util.function.Consumer<V> sink)
      implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V>,
      com.hazelcast.map.listener.EntryMergedListener<String, V> {
    @Override
    public void entryMerged(com.hazelcast.core.EntryEvent<String, V> e) {
      if (e.getValue() != null) {
        sink.accept(e.getValue());
      }
    }

    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, V> e) {
      sink.accept(e.getValue());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, V> e) {
      sink.accept(e.getValue());
    }
  }

  /** Keeps a copy of the health views. */
  private record HealthMirror(Map<String, String> health)
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      com.hazelcast.map.listener.EntryRemovedListener<String, String>,
      com.hazelcast.map.listener.EntryEvictedListener<String, String> {
    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
      health.put(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
      health.put(e.getKey(), e.getValue());
    }

    @Override
    public void entryRemoved(com.hazelcast.core.EntryEvent<String, String> e) {
      health.remove(e.getKey());
    }

    @Override
    public void entryEvicted(com.hazelcast.core.EntryEvent<String, String> e) {
      health.remove(e.getKey());
    }
  }
}

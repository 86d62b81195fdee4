package io.bastion.backend;

import io.bastion.config.BrokerConfig;
import io.bastion.routing.StableHash;
import io.bastion.routing.Target;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker and what this node knows about it: active probe verdict, passive ejection after
 * failed connects, and the sessions placed on it. Read on every CONNECT without locks.
 */
public final class Broker implements Target {

  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  private final String pool;
  private final BrokerSource source;
  private final String id;
  private final long idHash;
  private volatile int weight;
  /** Set through the admin API for the whole cluster; 0 leaves the configured weight. */
  private volatile int adminWeight;
  private volatile boolean disabled;
  private final String host;
  private final InetSocketAddress address;
  private final int ejectAfterFailures;
  private final long ejectForNanos;

  private final AtomicInteger load = new AtomicInteger();
  private final AtomicInteger connectFailures = new AtomicInteger();
  private volatile boolean healthy;
  private volatile ReportedLoad reported;
  private volatile Instant leaseExpires;
  private volatile long ejectedUntil;
  private volatile boolean ejected;
  private volatile boolean draining;
  private volatile boolean downByPeers;
  private volatile int peerSessions;
  private volatile long lastProbeNanos = -1;
  private final LongAdder sessionsPlaced = new LongAdder();
  private final LongAdder failedConnects = new LongAdder();

  public Broker(String pool, BrokerConfig config, int ejectAfterFailures, long ejectForNanos) {
    this(pool, BrokerSource.STATIC, config, ejectAfterFailures, ejectForNanos, true);
  }

  /**
   * @param healthy the verdict until the first probe: a discovered broker starts down and takes
   *     traffic only once a probe has succeeded
   */
  public Broker(String pool, BrokerSource source, BrokerConfig config, int ejectAfterFailures,
      long ejectForNanos, boolean healthy) {
    this.pool = pool;
    this.source = source;
    this.healthy = healthy;
    this.id = config.id();
    this.idHash = StableHash.of(id);
    this.weight = config.weight();
    this.host = config.host();
    this.address = addressOf(config.host(), config.port());
    this.ejectAfterFailures = ejectAfterFailures;
    this.ejectForNanos = ejectForNanos;
  }

  /**
   * An IP literal is parsed once here, so connects skip name resolution; a host name stays
   * unresolved and is looked up at each connect by {@link BrokerAddressResolver}, following DNS
   * changes within their TTL.
   */
  static InetSocketAddress addressOf(String host, int port) {
    if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long idHash() {
    return idHash;
  }

  /** The weight routing uses: the operator's when one is set, else the configured one. */
  @Override
  public int weight() {
    int admin = adminWeight;
    return admin > 0 ? admin : weight;
  }

  /** The weight from the configuration (or registration). */
  public int configuredWeight() {
    return weight;
  }

  /** The weight an operator set, or 0 when the configured one applies. */
  public int adminWeight() {
    return adminWeight;
  }

  public void setAdminWeight(int weight) {
    this.adminWeight = Math.max(0, weight);
  }

  /** A disabled broker takes no new sessions; unlike a drain, its sessions stay. */
  public boolean disabled() {
    return disabled;
  }

  public void setDisabled(boolean disabled) {
    this.disabled = disabled;
  }

  /** Sessions on this broker: as the broker last reported them when it does, else the cluster's. */
  @Override
  public int load() {
    ReportedLoad r = reported;
    int placed = load.get() + peerSessions;
    return r == null ? placed : Math.max(r.connections(), placed);
  }

  /** Sessions the other live nodes of the cluster relay to this broker (bounded load is cluster-wide). */
  public int peerSessions() {
    return peerSessions;
  }

  /** Set by the cluster from the session counts members share. */
  public void setPeerSessions(int sessions) {
    this.peerSessions = Math.max(0, sessions);
  }

  /** The broker's own limit of connections, or 0 when it did not report one. */
  @Override
  public int capacity() {
    ReportedLoad r = reported;
    return r == null ? 0 : r.capacity();
  }

  /** Sessions this node placed on the broker and still relays. */
  public int sessions() {
    return load.get();
  }

  public BrokerSource source() {
    return source;
  }

  /** What the broker said about its load at its last renewal, or null. */
  public ReportedLoad reported() {
    return reported;
  }

  public void report(ReportedLoad load) {
    this.reported = load;
  }

  /** When the broker's registration runs out unless renewed, or null when it has none. */
  public Instant leaseExpires() {
    return leaseExpires;
  }

  public void setLeaseExpires(Instant expires) {
    this.leaseExpires = expires;
  }

  /** Connections and connection limit as a broker reports them (capacity 0: unknown). */
  public record ReportedLoad(int connections, int capacity, Instant at) {}

  /** A reload: a changed configured weight ends an operator's override. */
  void setWeight(int weight) {
    if (weight != this.weight && adminWeight > 0) {
      LOG.info("broker {}/{} weight {} from the configuration replaces the weight {} set through "
          + "the admin API", pool, id, weight, adminWeight);
      adminWeight = 0;
    }
    this.weight = weight;
  }

  public String pool() {
    return pool;
  }

  /** The host as configured (name or IP literal). */
  public String host() {
    return host;
  }

  public InetSocketAddress address() {
    return address;
  }

  public boolean healthy() {
    return healthy;
  }

  public boolean ejected() {
    return ejected && System.nanoTime() - ejectedUntil < 0;
  }

  /**
   * May take new sessions: the probe says up, a majority of the cluster's nodes does not say down,
   * passive ejection is not in force, not draining, not disabled.
   */
  public boolean available() {
    return healthy && !downByPeers && !draining && !disabled && !ejected();
  }

  /** Whether a majority of the cluster's nodes reports this broker down. */
  public boolean downByPeers() {
    return downByPeers;
  }

  /** Set by the cluster from the health views members share. */
  public void setDownByPeers(boolean down) {
    if (down != downByPeers) {
      LOG.info("broker {}/{} {} by a majority of cluster nodes", pool, id, down ? "reported down" : "no longer reported down");
    }
    this.downByPeers = down;
  }

  /** A draining broker takes no new sessions; its sessions are being moved elsewhere. */
  public boolean draining() {
    return draining;
  }

  public void setDraining(boolean draining) {
    this.draining = draining;
  }

  /** Duration of the last successful probe in nanoseconds, or -1 before one succeeded. */
  public long lastProbeNanos() {
    return lastProbeNanos;
  }

  void probeSucceeded(long nanos) {
    lastProbeNanos = nanos;
  }

  /** Sessions placed on this broker since start. */
  public long sessionsPlaced() {
    return sessionsPlaced.sum();
  }

  /** Connects to this broker that failed (refused, timed out); each one made a client fail over. */
  public long failedConnects() {
    return failedConnects.sum();
  }

  public void sessionOpened() {
    load.incrementAndGet();
    sessionsPlaced.increment();
  }

  public void sessionClosed() {
    load.decrementAndGet();
  }

  public void connectSucceeded() {
    connectFailures.set(0);
  }

  /** A connect that was refused or timed out: enough in a row eject the broker for a while. */
  public void connectFailed(String why) {
    failedConnects.increment();
    int failures = connectFailures.incrementAndGet();
    if (ejectAfterFailures > 0 && failures >= ejectAfterFailures && !ejected()) {
      ejectedUntil = System.nanoTime() + ejectForNanos;
      ejected = true;
      connectFailures.set(0);
      LOG.warn(
          "broker {}/{} ejected for {} ms after {} failed connects (last: {})",
          pool, id, ejectForNanos / 1_000_000, failures, why);
    }
  }

  /** The active probe's verdict, after its rise/fall thresholds. */
  void setHealthy(boolean up) {
    if (up && ejected) {
      ejected = false; // a proven recovery ends the ejection early
    }
    healthy = up;
  }

  @Override
  public String toString() {
    return pool + "/" + id + "(" + host + ":" + address.getPort() + ")";
  }
}

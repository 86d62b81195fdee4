package io.bastion.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.bastion.backend.Broker;
import io.bastion.backend.discovery.Discovery;
import io.bastion.config.BrokerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker registrations with their leases: a broker that registers (or renews, or leaves) through
 * one node's registration API is known to every node, with the lease it was granted.
 */
final class SharedRegistrations implements Discovery.RegistrationListener {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRegistrations.class);
  private static final long TOMBSTONE_TTL_SECONDS = 60;

  private final LocalNode node;
  private final Supplier<HazelcastInstance> hz;
  private final ThreadLocal<Boolean> mirroring;
  private final LongSupplier nextVersion;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  SharedRegistrations(LocalNode node, Supplier<HazelcastInstance> hz, ThreadLocal<Boolean> mirroring,
      LongSupplier nextVersion) {
    this.node = node;
    this.hz = hz;
    this.mirroring = mirroring;
    this.nextVersion = nextVersion;
  }

  @Override
  public void registered(String pool, BrokerConfig b, Instant expires, Broker.ReportedLoad load) {
    if (!mirroring.get()) {
      share(new SharedRegistration(pool, b.id(), b.host(), b.port(), b.weight(),
          expires.toEpochMilli(), load == null ? -1 : load.connections(),
          load == null ? 0 : load.capacity(), nextVersion.getAsLong(), node.nodeId(), false),
          Math.max(1, expires.getEpochSecond() - Instant.now().getEpochSecond() + 5));
    }
  }

  @Override
  public void deregistered(String pool, String id) {
    if (!mirroring.get()) {
      share(new SharedRegistration(pool, id, "", 0, 0, 0, -1, 0, nextVersion.getAsLong(),
          node.nodeId(), true), TOMBSTONE_TTL_SECONDS);
    }
  }

  private void share(SharedRegistration r, long ttlSeconds) {
    versions.put(r.key(), r.version());
    HazelcastInstance instance = hz.get();
    if (instance == null) {
      return;
    }
    instance.<String, SharedRegistration>getMap(HazelcastConfigs.REGISTRATIONS)
        .submitToKey(r.key(), new NewerWins<>(r, ttlSeconds));
  }

  /** Applies a registration another node shared (this node's own come back and are skipped). */
  void mirror(SharedRegistration r) {
    Long known = versions.get(r.key());
    if (known != null && known >= r.version() || node.discovery() == null) {
      return;
    }
    versions.put(r.key(), r.version());
    mirroring.set(true);
    try {
      if (r.removed()) {
        node.discovery().deregisterHere(r.pool(), r.id());
      } else {
        long leaseMillis = r.expires() - System.currentTimeMillis();
        if (leaseMillis > 0) {
          node.discovery().registerHere(r.pool(), new BrokerConfig(r.id(), r.host(), r.port(), r.weight()),
              Duration.ofMillis(Math.max(1000, leaseMillis)),
              r.connections() < 0 ? null : new Broker.ReportedLoad(r.connections(), r.capacity(), Instant.now()));
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("cluster: registration of broker {} shared by node {} does not apply here: {}",
          r.key(), r.node(), e.getMessage());
    } finally {
      mirroring.set(false);
    }
  }

  void sync(HazelcastInstance instance) {
    instance.<String, SharedRegistration>getMap(HazelcastConfigs.REGISTRATIONS).values().forEach(this::mirror);
  }
}

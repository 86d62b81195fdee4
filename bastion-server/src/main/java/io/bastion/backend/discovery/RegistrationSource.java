package io.bastion.backend.discovery;

import io.bastion.backend.BrokerSource;
import io.bastion.config.BrokerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brokers that announced themselves on the admin API, each with a lease. A renewal extends the
 * lease; a broker that leaves deletes its registration. A lease that ran out removes its broker
 * only once the health probe also finds it down: a Bastion restart or a network blip between
 * broker and Bastion must not empty a healthy pool.
 */
final class RegistrationSource implements DiscoverySource {

  private static final Logger LOG = LoggerFactory.getLogger(RegistrationSource.class);
  private static final long EXPIRY_CHECK_MILLIS = 1_000;

  private final Duration maxLease;
  private final SourceStatus status;
  private final ScheduledExecutorService scheduler;
  private final Predicate<String> healthy;
  private final Clock clock;
  private final Map<String, Lease> leases = new TreeMap<>();
  private Consumer<List<BrokerConfig>> sink;
  private ScheduledFuture<?> expiry;

  /**
   * @param healthy whether the pool's broker with this id passes its health probe
   */
  RegistrationSource(String pool, Duration maxLease, ScheduledExecutorService scheduler,
      Predicate<String> healthy, Clock clock) {
    this.maxLease = maxLease;
    this.status = new SourceStatus(pool, BrokerSource.REGISTERED);
    this.scheduler = scheduler;
    this.healthy = healthy;
    this.clock = clock;
  }

  @Override
  public BrokerSource kind() {
    return BrokerSource.REGISTERED;
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  @Override
  public synchronized void start(Consumer<List<BrokerConfig>> sink) {
    this.sink = sink;
    expiry = scheduler.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK_MILLIS,
        EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Registers or renews a broker.
   *
   * @param lease the lease the broker asks for, or null for the configured one (never longer)
   * @return when the lease runs out
   */
  // answers are published under this lock so the pool never sees them out of order
  synchronized Instant register(BrokerConfig broker, Duration lease) {
    Duration granted = lease == null || lease.compareTo(maxLease) > 0 ? maxLease : lease;
    Instant expires = clock.instant().plus(granted);
    Lease old = leases.put(broker.id(), new Lease(broker, expires));
    boolean changed = old == null || !old.broker.equals(broker);
    List<BrokerConfig> answer = answer();
    status.succeeded(answer.size());
    if (changed) {
      LOG.info("broker {} registered in pool {} at {}:{} (lease {} s)", broker.id(), status.pool(),
          broker.host(), broker.port(), granted.toSeconds());
      publish(answer);
    }
    return expires;
  }

  /** Ends a registration; false when there was none. */
  synchronized boolean deregister(String id) {
    if (leases.remove(id) == null) {
      return false;
    }
    List<BrokerConfig> answer = answer();
    status.succeeded(answer.size());
    LOG.info("broker {} left pool {}", id, status.pool());
    publish(answer);
    return true;
  }

  private synchronized void expire() {
    Instant now = clock.instant();
    boolean removed = leases.values().removeIf(l -> {
      if (l.expires.isAfter(now) || healthy.test(l.broker.id())) {
        return false;
      }
      LOG.warn("lease of broker {} in pool {} ran out and its probe fails; removing it",
          l.broker.id(), status.pool());
      status.failed("lease of " + l.broker.id() + " ran out");
      return true;
    });
    if (removed) {
      publish(answer());
    }
  }

  private List<BrokerConfig> answer() {
    return leases.values().stream().map(Lease::broker).toList();
  }

  private void publish(List<BrokerConfig> answer) {
    if (sink != null) {
      sink.accept(answer);
    }
  }

  @Override
  public synchronized void close() {
    if (expiry != null) {
      expiry.cancel(false);
    }
  }

  private record Lease(BrokerConfig broker, Instant expires) {}
}

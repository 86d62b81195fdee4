package io.bastion.security;

import io.bastion.config.ConnectionLimitsConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits checked at accept: connections open on the node and per source address, and new
 * connections per second per address and per /24 (IPv4) or /64 (IPv6). Shared by every listener
 * and event loop; settings change on reload without forgetting what is counted.
 */
public final class ConnectionLimiter {

  /** Why a connection was turned away at accept. */
  public enum Outcome {
    ACCEPTED,
    TOO_MANY_CONNECTIONS,
    TOO_MANY_FROM_ADDRESS,
    ADDRESS_RATE,
    SUBNET_RATE
  }

  /** Buckets are swept when a map grows past this many; full buckets carry no state. */
  private static final int SWEEP_ABOVE = 10_000;

  private volatile ConnectionLimitsConfig config;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InetAddress, TokenBucket> addressBuckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, TokenBucket> subnetBuckets = new ConcurrentHashMap<>();
  private final AtomicLong accepts = new AtomicLong();

  public ConnectionLimiter(ConnectionLimitsConfig config) {
    this.config = config;
  }

  public void update(ConnectionLimitsConfig next) {
    if (!next.equals(config)) {
      config = next;
      addressBuckets.clear();
      subnetBuckets.clear();
    }
  }

  /**
   * Counts a new connection if the limits allow it. An {@code ACCEPTED} connection must be {@link
   * #release released} when it closes; any other outcome counted nothing.
   */
  public Outcome admit(InetAddress address) {
    ConnectionLimitsConfig c = config;
    long now = System.nanoTime();
    if (accepts.incrementAndGet() % 1024 == 0) {
      sweep(now);
    }
    if (c.ratePerSubnet().enabled()
        && !subnetBuckets.computeIfAbsent(subnet(address), k -> new TokenBucket(c.ratePerSubnet(), now))
            .tryTake(1, now)) {
      return Outcome.SUBNET_RATE;
    }
    if (c.ratePerIp().enabled()
        && !addressBuckets.computeIfAbsent(address, k -> new TokenBucket(c.ratePerIp(), now)).tryTake(1, now)) {
      return Outcome.ADDRESS_RATE;
    }
    if (c.max() > 0 && open.incrementAndGet() > c.max()) {
      open.decrementAndGet();
      return Outcome.TOO_MANY_CONNECTIONS;
    } else if (c.max() <= 0) {
      open.incrementAndGet();
    }
    AtomicInteger fromAddress = perAddress.compute(address, (k, v) -> {
      AtomicInteger n = v == null ? new AtomicInteger() : v;
      n.incrementAndGet();
      return n;
    });
    if (c.maxPerIp() > 0 && fromAddress.get() > c.maxPerIp()) {
      release(address);
      return Outcome.TOO_MANY_FROM_ADDRESS;
    }
    return Outcome.ACCEPTED;
  }

  /** A connection that was accepted has closed. */
  public void release(InetAddress address) {
    open.decrementAndGet();
    perAddress.computeIfPresent(address, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
  }

  public int open() {
    return open.get();
  }

  public int openFrom(InetAddress address) {
    AtomicInteger n = perAddress.get(address);
    return n == null ? 0 : n.get();
  }

  private void sweep(long now) {
    if (addressBuckets.size() > SWEEP_ABOVE) {
      addressBuckets.values().removeIf(b -> b.full(now));
    }
    if (subnetBuckets.size() > SWEEP_ABOVE) {
      subnetBuckets.values().removeIf(b -> b.full(now));
    }
  }

  /** The /24 of an IPv4 address (high bit set, so it cannot equal an IPv6 key's) or /64 of IPv6. */
  static long subnet(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return Long.MIN_VALUE | ((b[0] & 0xFFL) << 16) | ((b[1] & 0xFFL) << 8) | (b[2] & 0xFFL);
    }
    long key = 0;
    for (int i = 0; i < 8; i++) {
      key = (key << 8) | (b[i] & 0xFF);
    }
    return key & Long.MAX_VALUE;
  }
}

package io.bastion.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force brake: failed logins per source address and per username. After the n-th failure in
 * a row the answer is delayed by {@code base × 2^(n-1)}, at most {@code max}; a success for the
 * username clears its count, and counts are forgotten after a quiet period.
 */
public final class LoginThrottle {

  private static final int SWEEP_ABOVE = 10_000;

  private static final class Failures {
    int count;
    long lastNanos;
  }

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private volatile long baseNanos;
  private volatile long maxNanos;

  public LoginThrottle(Duration base, Duration max) {
    update(base, max);
  }

  public void update(Duration base, Duration max) {
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** Records a failure; returns how long to wait before answering it, in nanoseconds. */
  public long failed(String address, String username) {
    long now = System.nanoTime();
    if (failures.size() > SWEEP_ABOVE) {
      failures.values().removeIf(f -> now - f.lastNanos > forgetAfter());
    }
    int n = bump("ip:" + address, now);
    if (username != null) {
      n = Math.max(n, bump("user:" + username, now));
    }
    int doublings = Math.min(n - 1, 30);
    return Math.min(maxNanos, baseNanos << doublings < 0 ? maxNanos : baseNanos << doublings);
  }

  public void succeeded(String username) {
    if (username != null) {
      failures.remove("user:" + username);
    }
  }

  private int bump(String key, long now) {
    Failures f = failures.compute(key, (k, v) -> {
      Failures x = v == null || now - v.lastNanos > forgetAfter() ? new Failures() : v;
      x.count++;
      x.lastNanos = now;
      return x;
    });
    return f.count;
  }

  private long forgetAfter() {
    return Math.max(Duration.ofMinutes(5).toNanos(), maxNanos * 4);
  }
}

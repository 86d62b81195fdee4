package io.bastion.security;

import io.bastion.config.RateConfig;

/**
 * A token bucket: tokens flow in at a fixed rate up to a burst. Time is passed in (nanoseconds,
 * {@link System#nanoTime()}) so tests control it. Thread safe; uncontended in the per-session use.
 */
public final class TokenBucket {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  public TokenBucket(RateConfig rate, long nowNanos) {
    this.perNano = rate.perSecond() / 1e9;
    this.burst = rate.burst();
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes {@code n} tokens if there are that many; otherwise takes none. */
  public synchronized boolean tryTake(double n, long nowNanos) {
    refill(nowNanos);
    if (tokens >= n) {
      tokens -= n;
      return true;
    }
    return false;
  }

  /**
   * Takes {@code n} tokens even when that leaves the bucket in debt.
   *
   * @return nanoseconds until the bucket is out of debt again, 0 when it is not in debt
   */
  public synchronized long take(double n, long nowNanos) {
    refill(nowNanos);
    tokens -= n;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
  }

  /** True when the bucket is full: it remembers nothing and can be forgotten. */
  public synchronized boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long now) {
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      last = now;
    }
  }
}

package io.bastion.backend.discovery;

import io.bastion.backend.BrokerSource;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** How one discovery source of one pool is doing: refreshes, failures, the last problem. */
public final class SourceStatus {

  private final String pool;
  private final BrokerSource source;
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile String lastError;
  private volatile Instant lastRefresh;
  private volatile int brokers;

  SourceStatus(String pool, BrokerSource source) {
    this.pool = pool;
    this.source = source;
  }

  public String pool() {
    return pool;
  }

  public BrokerSource source() {
    return source;
  }

  /** Answers read and applied (or found unchanged). */
  public long refreshes() {
    return refreshes.sum();
  }

  /** Answers that failed or were refused; the last good answer stayed in force each time. */
  public long failures() {
    return failures.sum();
  }

  /** The last failure's message, or null when the last refresh succeeded. */
  public String lastError() {
    return lastError;
  }

  public Instant lastRefresh() {
    return lastRefresh;
  }

  /** Brokers in the answer in force. */
  public int brokers() {
    return brokers;
  }

  void succeeded(int count) {
    refreshes.increment();
    brokers = count;
    lastError = null;
    lastRefresh = Instant.now();
  }

  void failed(String why) {
    failures.increment();
    lastError = why;
  }
}

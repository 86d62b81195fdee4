package io.bastion.security;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent security events, for the admin API and dashboard. A fixed ring: recording never
 * blocks or allocates beyond the event itself, and a flood only overwrites older entries.
 *
 * <p>{@link #report} also writes the event's one structured log line and counts session
 * violations per reason. So that a flood cannot flood the log too, at most {@value
 * #LOG_LINES_PER_SECOND} lines are written per second; the rest are counted and summed up in one
 * line.
 */
public final class SecurityEvents {

  private static final Logger LOG = LoggerFactory.getLogger("io.bastion.security");
  static final int LOG_LINES_PER_SECOND = 100;

  private final AtomicReferenceArray<SecurityEvent> ring;
  private final AtomicLong written = new AtomicLong();
  private final Map<Violation, LongAdder> violations = new EnumMap<>(Violation.class);
  private final AtomicLong logSecond = new AtomicLong();
  private final AtomicLong logLinesThisSecond = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private volatile Consumer<SecurityEvent> sink;

  public SecurityEvents(int capacity) {
    ring = new AtomicReferenceArray<>(capacity);
    for (Violation v : Violation.values()) {
      violations.put(v, new LongAdder());
    }
  }

  public void record(SecurityEvent event) {
    long n = written.getAndIncrement();
    ring.set((int) (n % ring.length()), event);
    Consumer<SecurityEvent> s = sink;
    if (s != null) {
      s.accept(event);
    }
  }

  /** Also hands every event to {@code sink} (the cluster's shared stream); must not block. */
  public void sink(Consumer<SecurityEvent> sink) {
    this.sink = sink;
  }

  /** Records the event and writes its log line (rate-capped). */
  public void report(SecurityEvent event) {
    record(event);
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long second = System.nanoTime() / 1_000_000_000L;
    long current = logSecond.get();
    if (current != second && logSecond.compareAndSet(current, second)) {
      logLinesThisSecond.set(0);
      long dropped = suppressed.getAndSet(0);
      if (dropped > 0) {
        LOG.info("security events: {} more not logged in the last second (see /api/events and metrics)", dropped);
      }
    }
    if (logLinesThisSecond.incrementAndGet() > LOG_LINES_PER_SECOND) {
      suppressed.incrementAndGet();
      return;
    }
    LOG.info("{} reason={} listener={} remote={} client-id={} detail=\"{}\"", event.kind(),
        event.reason(), event.listener(), event.remoteAddress(),
        event.clientId() == null ? "-" : event.clientId(), event.detail());
  }

  /** Counts a session violation and reports it. */
  public void violation(Violation v, SecurityEvent event) {
    violations.get(v).increment();
    report(event);
  }

  public long violations(Violation v) {
    return violations.get(v).sum();
  }

  /** Total events recorded since start. */
  public long total() {
    return written.get();
  }

  /** Up to {@code limit} events, newest first. */
  public List<SecurityEvent> recent(int limit) {
    long end = written.get();
    long start = Math.max(0, end - Math.min(limit, ring.length()));
    List<SecurityEvent> out = new ArrayList<>((int) (end - start));
    for (long i = end - 1; i >= start; i--) {
      SecurityEvent e = ring.get((int) (i % ring.length()));
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }
}

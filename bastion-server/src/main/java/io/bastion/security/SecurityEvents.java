package io.bastion.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent security events, for the admin API and dashboard. A fixed ring: recording never
 * blocks or allocates beyond the event itself, and a flood only overwrites older entries.
 */
public final class SecurityEvents {

  private final AtomicReferenceArray<SecurityEvent> ring;
  private final AtomicLong written = new AtomicLong();

  public SecurityEvents(int capacity) {
    ring = new AtomicReferenceArray<>(capacity);
  }

  public void record(SecurityEvent event) {
    long n = written.getAndIncrement();
    ring.set((int) (n % ring.length()), event);
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

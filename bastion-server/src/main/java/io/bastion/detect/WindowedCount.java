package io.bastion.detect;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count added to by event loops and read by the detection thread as "in the last window": the
 * count of the open window plus the previous window's, weighted by how much of it still overlaps
 * (the sliding-window estimate rate limiters use). Cumulative underneath, so the detection thread
 * never resets what an event loop writes. It is its own atomic (one object per count, not two).
 */
final class WindowedCount extends AtomicLong {

  private static final long serialVersionUID = 1L;
  private long windowStart;
  private long previous;

  void add(long n) {
    addAndGet(n);
  }

  void increment() {
    incrementAndGet();
  }

  /** Counted since the open window started (detection thread). */
  long current() {
    return get() - windowStart;
  }

  /** The sliding estimate when {@code fraction} of the open window has passed (0..1). */
  double sliding(double fraction) {
    return current() + previous * (1 - Math.min(1, Math.max(0, fraction)));
  }

  /** Closes the window; returns its count (detection thread). */
  long close() {
    long now = get();
    previous = now - windowStart;
    windowStart = now;
    return previous;
  }

  long previous() {
    return previous;
  }

  boolean idle() {
    return previous == 0 && current() == 0;
  }
}

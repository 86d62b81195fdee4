package io.bastion.detect;

/**
 * The number of the feature window now open. The detection engine advances it; event loops read
 * it to tell which half of a double-buffered window value they write (see {@link ClientCounters}).
 */
public final class WindowClock {

  private volatile int epoch;

  public WindowClock() {
    this(0);
  }

  /** Starting at {@code first} (tests of the counter wrapping past Integer.MAX_VALUE). */
  WindowClock(int first) {
    epoch = first;
  }

  public int epoch() {
    return epoch;
  }

  /** Closes the open window: later writes go to the other buffer. Detection thread only. */
  int advance() {
    int next = epoch + 1;
    epoch = next;
    return next;
  }
}

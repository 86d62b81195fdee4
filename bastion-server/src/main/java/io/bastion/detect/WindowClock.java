package io.bastion.detect;

/**
 * The number of the feature window now open. The detection engine advances it; event loops read
 * it to tell which half of a double-buffered window value they write (see {@link ClientCounters}).
 */
public final class WindowClock {

  private volatile int epoch;

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

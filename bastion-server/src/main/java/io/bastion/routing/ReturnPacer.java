package io.bastion.routing;

/**
 * Spreads moves back over time: {@code perSecond} sessions a second, the first one at once, and
 * never more than a second's worth in one go however late a tick comes. Not thread-safe.
 */
final class ReturnPacer {

  private final double perSecond;
  private double tokens;
  private long last;
  private boolean running;

  ReturnPacer(double perSecond) {
    this.perSecond = perSecond;
  }

  /** How many of {@code wanted} sessions may move at {@code nanos}. */
  int take(long nanos, int wanted) {
    if (!running) {
      running = true;
      tokens = 1;
    } else {
      tokens = Math.min(tokens + (nanos - last) * perSecond / 1e9, Math.max(1, perSecond));
    }
    last = nanos;
    int n = (int) Math.min(Math.floor(tokens), wanted);
    tokens -= n;
    return n;
  }

  /** Nothing to move: the next move starts afresh. */
  void stop() {
    running = false;
  }
}

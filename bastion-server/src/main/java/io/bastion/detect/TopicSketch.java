package io.bastion.detect;

/**
 * What one client published to, in a few hundred bytes: 16-bit fingerprints of up to {@value #KNOWN} topics
 * it used before (to tell a never-seen topic), and per window a 256-bit linear-counting bitmap for
 * the number of distinct topics. Written by the session's event loop only; the window bitmaps are
 * double-buffered by window parity so the detection thread reads a closed window while the event
 * loop writes the open one.
 */
public final class TopicSketch {

  static final int KNOWN = 64;
  private static final int PROBES = 4;
  private static final int BITS = 256;

  /** 16-bit fingerprints of remembered topics, 0 for an empty slot. */
  private final short[] known = new short[KNOWN];
  /** Two windows of 256 bits, four words each: [parity * 4 .. parity * 4 + 3]. */
  private final long[] bits = new long[8];
  /** Cumulative count of publishes to a topic not among the remembered ones. */
  long newTopics;

  /**
   * Records one publish to the topic with this hash in the window buffer {@code parity}.
   *
   * @return whether the topic was not remembered (counted in {@link #newTopics})
   */
  boolean add(int hash, int parity) {
    int m = mix(hash);
    int bit = m & (BITS - 1);
    bits[(parity << 2) + (bit >>> 6)] |= 1L << (bit & 63);
    short h = (short) (m >>> 16);
    if (h == 0) {
      h = 1;
    }
    int slot = (m >>> 8) & (KNOWN - 1);
    for (int i = 0; i < PROBES; i++) {
      int s = (slot + i) & (KNOWN - 1);
      if (known[s] == h) {
        return false;
      }
      if (known[s] == 0) {
        known[s] = h;
        newTopics++;
        return true;
      }
    }
    known[slot] = h; // full neighbourhood: an older topic gives way
    newTopics++;
    return true;
  }

  /** Empties the window buffer {@code parity} for a new window (event loop). */
  void clear(int parity) {
    int base = parity << 2;
    bits[base] = 0;
    bits[base + 1] = 0;
    bits[base + 2] = 0;
    bits[base + 3] = 0;
  }

  /** Estimated distinct topics written to the window buffer {@code parity} (linear counting). */
  double distinct(int parity) {
    int base = parity << 2;
    int set = 0;
    for (int i = 0; i < 4; i++) {
      set += Long.bitCount(bits[base + i]);
    }
    return linearCount(set, BITS);
  }

  /** Estimated distinct items from {@code set} of {@code m} bits set. */
  static double linearCount(int set, int m) {
    if (set == 0) {
      return 0;
    }
    int zeros = Math.max(1, m - set); // saturated: report the largest estimate this size can give
    return -m * Math.log((double) zeros / m);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }
}

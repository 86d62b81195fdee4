package io.bastion.detect;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Distinct values seen by several event loops in one window, as a linear-counting bitmap: adding
 * sets one bit (a CAS only when the bit is new), and the detection thread takes and empties the
 * bitmap word by word at the window's end, so no value is lost between two windows.
 */
final class DistinctBits extends AtomicLongArray {

  private static final long serialVersionUID = 1L;

  DistinctBits(int bits) {
    super(words(bits));
  }

  private static int words(int bits) {
    if (bits < 64 || Integer.bitCount(bits) != 1) {
      throw new IllegalArgumentException("bits must be a power of two ≥ 64: " + bits);
    }
    return bits / 64;
  }

  void add(Object value) {
    if (value == null) {
      return;
    }
    int h = value.hashCode() * 0x9E3779B9;
    h ^= h >>> 15;
    int bit = h & (length() * 64 - 1);
    int w = bit >>> 6;
    long mask = 1L << (bit & 63);
    long old = get(w);
    while ((old & mask) == 0 && !compareAndSet(w, old, old | mask)) {
      old = get(w);
    }
  }

  /** Estimated distinct values added since the last {@link #takeAndClear()}, without clearing. */
  double estimate() {
    int set = 0;
    for (int i = 0; i < length(); i++) {
      set += Long.bitCount(get(i));
    }
    return TopicSketch.linearCount(set, length() * 64);
  }

  /** The estimate of the window just closed; the bitmap starts over. */
  double takeAndClear() {
    int set = 0;
    for (int i = 0; i < length(); i++) {
      set += Long.bitCount(getAndSet(i, 0));
    }
    return TopicSketch.linearCount(set, length() * 64);
  }
}

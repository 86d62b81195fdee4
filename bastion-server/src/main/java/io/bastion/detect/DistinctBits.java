package io.bastion.detect;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Distinct values seen by several event loops in one window, as a linear-counting bitmap: adding
 * sets one bit (a CAS only when the bit is new), and the detection thread takes and empties the
 * bitmap word by word at the window's end, so no value is lost between two windows.
 */
final class DistinctBits {

  private final AtomicLongArray words;

  DistinctBits(int bits) {
    if (bits < 64 || Integer.bitCount(bits) != 1) {
      throw new IllegalArgumentException("bits must be a power of two ≥ 64: " + bits);
    }
    words = new AtomicLongArray(bits / 64);
  }

  void add(Object value) {
    if (value == null) {
      return;
    }
    int h = value.hashCode() * 0x9E3779B9;
    h ^= h >>> 15;
    int bit = h & (words.length() * 64 - 1);
    int w = bit >>> 6;
    long mask = 1L << (bit & 63);
    long old = words.get(w);
    while ((old & mask) == 0 && !words.compareAndSet(w, old, old | mask)) {
      old = words.get(w);
    }
  }

  /** Estimated distinct values added since the last {@link #takeAndClear()}, without clearing. */
  double estimate() {
    int set = 0;
    for (int i = 0; i < words.length(); i++) {
      set += Long.bitCount(words.get(i));
    }
    return TopicSketch.linearCount(set, words.length() * 64);
  }

  /** The estimate of the window just closed; the bitmap starts over. */
  double takeAndClear() {
    int set = 0;
    for (int i = 0; i < words.length(); i++) {
      set += Long.bitCount(words.getAndSet(i, 0));
    }
    return TopicSketch.linearCount(set, words.length() * 64);
  }
}

package io.bastion.testing;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Nearest-rank percentiles of measured durations (nanoseconds), printed in milliseconds. */
public record Latencies(int count, long p50Nanos, long p99Nanos, long maxNanos) {

  public static Latencies of(Collection<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Latencies(0, 0, 0, 0);
    }
    return new Latencies(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
  }

  public static Latencies of(long[] nanos) {
    return of(Arrays.stream(nanos).boxed().toList());
  }

  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  public double p50Millis() {
    return p50Nanos / 1e6;
  }

  public double p99Millis() {
    return p99Nanos / 1e6;
  }

  public long p99Micros() {
    return TimeUnit.NANOSECONDS.toMicros(p99Nanos);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms",
        count, p50Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6);
  }
}

package io.bastion.cluster;

import java.util.Arrays;

/** The last delays from a shared change on another node to its application here. */
final class PropagationStats {

  private final long[] micros = new long[1024];
  private long count;

  synchronized void record(long delayMicros) {
    micros[(int) (count++ % micros.length)] = Math.max(0, delayMicros);
  }

  synchronized ClusterView.Propagation snapshot() {
    int n = (int) Math.min(count, micros.length);
    if (n == 0) {
      return new ClusterView.Propagation(0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    return new ClusterView.Propagation(count, sorted[(n - 1) / 2] / 1000.0,
        sorted[(int) Math.ceil(n * 0.99) - 1] / 1000.0, sorted[n - 1] / 1000.0);
  }
}

package io.bastion.detect;

/**
 * The last few failed logins for one username: when, from which client id and which address (as
 * hashes). Written by event loops, read by the detection thread; fixed arrays, so recording a
 * failure allocates nothing. Long-horizon rules ask how many of them fall in the last N minutes and
 * from how many distinct client ids and addresses. Two ids with one hash count once: a rare
 * undercount, never a false alarm.
 */
final class FailureTrail {

  private final long[] times;
  private final int[] clientIds;
  private final int[] addresses;
  private int next;
  private int size;

  FailureTrail(int capacity) {
    times = new long[capacity];
    clientIds = new int[capacity];
    addresses = new int[capacity];
  }

  synchronized void add(long millis, String clientId, String address) {
    times[next] = millis;
    clientIds[next] = clientId == null ? 0 : clientId.hashCode();
    addresses[next] = address == null ? 0 : address.hashCode();
    next = (next + 1) % times.length;
    size = Math.min(size + 1, times.length);
  }

  /** Failures remembered that happened after {@code sinceMillis}. */
  synchronized int since(long sinceMillis) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (times[i] > sinceMillis) {
        n++;
      }
    }
    return n;
  }

  /** Distinct client ids among the failures after {@code sinceMillis}. */
  synchronized int clientIdsSince(long sinceMillis) {
    return distinct(clientIds, sinceMillis);
  }

  /** Distinct addresses among the failures after {@code sinceMillis}. */
  synchronized int addressesSince(long sinceMillis) {
    return distinct(addresses, sinceMillis);
  }

  /** When the newest failure happened, or {@link Long#MIN_VALUE} when none is remembered. */
  synchronized long newest() {
    return size == 0 ? Long.MIN_VALUE : times[(next - 1 + times.length) % times.length];
  }

  private int distinct(int[] hashes, long sinceMillis) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (times[i] <= sinceMillis) {
        continue;
      }
      boolean seen = false;
      for (int j = 0; j < i && !seen; j++) {
        seen = times[j] > sinceMillis && hashes[j] == hashes[i];
      }
      if (!seen) {
        n++;
      }
    }
    return n;
  }
}

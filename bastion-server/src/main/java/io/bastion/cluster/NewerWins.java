package io.bastion.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Stores a value unless the map already holds a newer one; runs where the key lives. */
final class NewerWins<V extends Versioned> implements EntryProcessor<String, V, Boolean> {

  private static final long serialVersionUID = 1L;

  private final V candidate;
  /** Time to live of the stored entry in seconds, 0 for none (tombstones and expiring entries). */
  private final long ttlSeconds;

  NewerWins(V candidate, long ttlSeconds) {
    this.candidate = candidate;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Boolean process(Map.Entry<String, V> entry) {
    if (!Versioned.newer(candidate, entry.getValue())) {
      return false;
    }
    if (ttlSeconds > 0 && entry instanceof ExtendedMapEntry<String, V> extended) {
      extended.setValue(candidate, ttlSeconds, TimeUnit.SECONDS);
    } else {
      entry.setValue(candidate);
    }
    return true;
  }
}

package io.bastion.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin: over {@code sum(weights)} consecutive sessions each broker is first
 * exactly {@code weight} times; the others follow in list order for failover.
 */
public final class RoundRobinBalancer implements Balancer {

  private final AtomicLong counter = new AtomicLong();

  @Override
  public <T extends Target> List<T> order(String clientId, List<T> available) {
    int n = available.size();
    if (n <= 1) {
      return available;
    }
    long weights = 0;
    for (T t : available) {
      weights += t.weight();
    }
    long slot = Math.floorMod(counter.getAndIncrement(), weights);
    int first = 0;
    for (long seen = available.get(0).weight(); seen <= slot; seen += available.get(first).weight()) {
      first++;
    }
    List<T> ordered = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ordered.add(available.get((first + i) % n));
    }
    return ordered;
  }
}

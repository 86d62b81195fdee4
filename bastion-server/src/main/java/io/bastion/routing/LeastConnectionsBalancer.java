package io.bastion.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fewest sessions per unit of weight first. Equal brokers are taken in turn (the list is rotated
 * per call) so a burst of connects does not pile onto the first one before counts update.
 */
public final class LeastConnectionsBalancer implements Balancer {

  private final AtomicInteger rotation = new AtomicInteger();

  @Override
  public <T extends Target> List<T> order(String clientId, List<T> available) {
    int n = available.size();
    if (n <= 1) {
      return available;
    }
    int start = Math.floorMod(rotation.getAndIncrement(), n);
    List<T> ordered = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ordered.add(available.get((start + i) % n));
    }
    // stable sort keeps the rotation among equals
    ordered.sort(Comparator.comparingDouble(t -> (double) t.load() / t.weight()));
    return ordered;
  }
}

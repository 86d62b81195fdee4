package io.bastion.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted rendezvous (highest random weight) hashing on the client id with bounded load.
 *
 * <p>Every node computes the same order for a client id from the broker ids alone, so a device
 * reconnecting through any node lands on the same broker, and when a broker leaves only its own
 * clients move (to their next broker in the order). With weights, each broker scores {@code
 * -weight / ln(u)} for a uniform {@code u} drawn from (client id, broker id), which gives each
 * broker a share proportional to its weight.
 *
 * <p>Bounded load: once the brokers carry on average at least {@code minAverage} sessions each, a
 * broker holding {@code loadFactor} times its fair share or more is moved to the end of the order,
 * so one hot broker cannot be overloaded by an unlucky spread. Below that the bound is off: at
 * small counts random spread alone trips it and it would move clients for no real imbalance.
 *
 * <p>Loads are what the brokers report where they do (connections from every Bastion node and
 * from clients that bypass Bastion), this node's own counts otherwise. A broker that reported its
 * capacity and is at it goes to the end of the order too, whatever the average.
 */
public final class RendezvousBalancer implements Balancer {

  private final double loadFactor;
  private final int minAverage;

  public RendezvousBalancer(double loadFactor, int minAverage) {
    this.loadFactor = loadFactor;
    this.minAverage = minAverage;
  }

  @Override
  public <T extends Target> List<T> order(String clientId, List<T> available) {
    int n = available.size();
    if (n <= 1) {
      return available;
    }
    long key = StableHash.of(clientId);
    Scored[] scored = new Scored[n];
    long total = 0;
    long weights = 0;
    for (int i = 0; i < n; i++) {
      T t = available.get(i);
      double u = StableHash.unitInterval(key, t.idHash());
      scored[i] = new Scored(i, -t.weight() / Math.log(u), t.id());
      total += t.load();
      weights += t.weight();
    }
    Arrays.sort(scored, BY_SCORE);
    List<T> ordered = new ArrayList<>(n);
    List<T> full = null;
    boolean bounded = loadFactor > 0 && total >= (long) minAverage * n;
    for (Scored s : scored) {
      T t = available.get(s.index);
      boolean atCapacity = t.capacity() > 0 && t.load() >= t.capacity();
      if (atCapacity || (bounded && t.load() >= capacity(total, weights, t.weight()))) {
        if (full == null) {
          full = new ArrayList<>(2);
        }
        full.add(t);
      } else {
        ordered.add(t);
      }
    }
    if (full != null) {
      ordered.addAll(full);
    }
    return ordered;
  }

  private long capacity(long total, long weights, int weight) {
    return (long) Math.ceil(loadFactor * (total + 1) * weight / weights);
  }

  private record Scored(int index, double score, String id) {}

  // ties are practically impossible; the id makes the order total anyway
  private static final Comparator<Scored> BY_SCORE =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id);
}

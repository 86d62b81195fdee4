package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtherBalancersTest {

  @Test
  void leastConnectionsPrefersTheEmptiestPerWeight() {
    FakeTarget a = new FakeTarget("a", 1);
    FakeTarget b = new FakeTarget("b", 4);
    FakeTarget c = new FakeTarget("c", 1);
    a.load = 3;
    b.load = 8; // 2 per weight unit
    c.load = 5;
    assertThat(new LeastConnectionsBalancer().order("", List.of(a, b, c)))
        .containsExactly(b, a, c);
  }

  @Test
  void leastConnectionsRotatesAmongEquals() {
    List<FakeTarget> equal = List.of(new FakeTarget("a", 1), new FakeTarget("b", 1));
    LeastConnectionsBalancer balancer = new LeastConnectionsBalancer();
    assertThat(balancer.order("", equal).get(0)).isNotSameAs(balancer.order("", equal).get(0));
  }

  @Test
  void roundRobinHonoursWeights() {
    List<FakeTarget> targets = List.of(new FakeTarget("a", 1), new FakeTarget("b", 3));
    RoundRobinBalancer balancer = new RoundRobinBalancer();
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      List<FakeTarget> order = balancer.order("x", targets);
      assertThat(order).hasSize(2);
      firsts.merge(order.get(0).id(), 1, Integer::sum);
    }
    assertThat(firsts).containsEntry("a", 100).containsEntry("b", 300);
  }
}

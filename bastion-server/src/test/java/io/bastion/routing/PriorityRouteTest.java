package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.OverflowConfig;
import io.bastion.config.PriorityPoolConfig;
import io.bastion.config.RuleConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pool of a priority rule takes new sessions: down pools and full pools are passed over. */
class PriorityRouteTest {

  final Pools pools = new Pools();

  @Test
  void bestPoolTakesSessionsWhileItHasABrokerUp() {
    pools.add("local", 0, 0).add("local", 0, 0).add("cloud", 0, 0);
    PriorityRoute.Choice c = route(0.9, 0).choose(pools);
    assertThat(c.activePool()).isEqualTo("local");
    assertThat(c.reason()).isEqualTo("highest priority pool is up");
    assertThat(c.connectOrder()).containsExactly("local", "cloud");
    assertThat(c.below()).containsExactly("cloud");
  }

  @Test
  void allBrokersOfTheBestPoolDownSendsSessionsToTheNext() {
    pools.add("cloud", 0, 0);
    pools.ensure("local");
    PriorityRoute.Choice c = route(0.9, 0).choose(pools);
    assertThat(c.activePool()).isEqualTo("cloud");
    assertThat(c.checks().get(0).state()).isEqualTo(PoolState.DOWN);
    assertThat(c.reason()).isEqualTo("local: no broker available");
    // a connect that fails still tries the down pool last (panic routing inside the pool)
    assertThat(c.connectOrder()).containsExactly("cloud", "local");
    assertThat(c.below()).isEmpty();
  }

  @Test
  void everyBrokerAtTheThresholdOverflowsToTheNextPool() {
    pools.add("local", 90, 100).add("local", 95, 100).add("cloud", 10, 100);
    PriorityRoute.Choice c = route(0.9, 0).choose(pools);
    assertThat(c.activePool()).isEqualTo("cloud");
    assertThat(c.checks().get(0).state()).isEqualTo(PoolState.FULL);
    assertThat(c.checks().get(0).load()).isEqualTo(185 / 200.0);
    assertThat(c.reason()).isEqualTo("local: every broker at load threshold 0.9");
  }

  @Test
  void oneBrokerBelowTheThresholdKeepsThePool() {
    pools.add("local", 90, 100).add("local", 89, 100).add("cloud", 0, 100);
    assertThat(route(0.9, 0).choose(pools).activePool()).isEqualTo("local");
  }

  @Test
  void configuredCapacityStandsInWhereBrokersReportNone() {
    pools.add("local", 45, 0).add("cloud", 0, 0);
    assertThat(route(0.9, 50).choose(pools).activePool()).isEqualTo("cloud");
    // the pool entry's own capacity wins over the rule's
    assertThat(route(0.9, 50, 100).choose(pools).activePool()).isEqualTo("local");
    // without any capacity a broker is never full
    assertThat(route(0.9, 0).choose(pools).activePool()).isEqualTo("local");
  }

  @Test
  void everyPoolFullKeepsTheBestAndEveryPoolDownKeepsTheFirst() {
    pools.add("local", 100, 100).add("cloud", 100, 100);
    PriorityRoute.Choice full = route(0.9, 0).choose(pools);
    assertThat(full.activePool()).isEqualTo("local");
    assertThat(full.reason()).startsWith("every pool is at its load threshold");

    Pools none = new Pools();
    none.ensure("local");
    none.ensure("cloud");
    PriorityRoute.Choice down = route(0.9, 0).choose(none);
    assertThat(down.activePool()).isEqualTo("local");
    assertThat(down.reason()).isEqualTo("no pool has a broker available");
  }

  static PriorityRoute route(double threshold, int capacity) {
    return route(threshold, capacity, 0);
  }

  static PriorityRoute route(double threshold, int capacity, int localCapacity) {
    return new PriorityRoute(rule(new OverflowConfig(threshold, Duration.ofSeconds(30), 10, capacity),
        localCapacity));
  }

  static RuleConfig rule(OverflowConfig overflow, int localCapacity) {
    return new RuleConfig("plant", null, List.of(), "plant-*", null, null, null, null, null,
        List.of(new PriorityPoolConfig("cloud", 2), new PriorityPoolConfig("local", 1, localCapacity)),
        overflow);
  }

  /** Pools whose available brokers the test sets. */
  static final class Pools implements PoolView {
    final Map<String, List<Broker>> up = new HashMap<>();

    Pools add(String pool, int load, int capacity) {
      ensure(pool).add(new Broker(pool + "-" + up.get(pool).size(), load, capacity));
      return this;
    }

    List<Broker> ensure(String pool) {
      return up.computeIfAbsent(pool, p -> new ArrayList<>());
    }

    @Override
    public List<? extends Target> available(String pool) {
      return up.getOrDefault(pool, List.of());
    }
  }

  static final class Broker implements Target {
    final String id;
    int load;
    final int capacity;

    Broker(String id, int load, int capacity) {
      this.id = id;
      this.load = load;
      this.capacity = capacity;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public long idHash() {
      return StableHash.of(id);
    }

    @Override
    public int weight() {
      return 1;
    }

    @Override
    public int load() {
      return load;
    }

    @Override
    public int capacity() {
      return capacity;
    }
  }
}

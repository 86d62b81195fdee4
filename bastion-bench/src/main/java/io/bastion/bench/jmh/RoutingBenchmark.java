package io.bastion.bench.jmh;

import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.RuleConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import io.bastion.routing.RendezvousBalancer;
import io.bastion.routing.RouteRequest;
import io.bastion.routing.Router;
import io.bastion.routing.StableHash;
import io.bastion.routing.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The routing decision of one CONNECT: pool by rules, then the brokers' rendezvous order. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

  @Param({"3", "30"})
  int brokers;

  private final String[] clientIds = new String[1024];
  private List<BenchTarget> targets;
  private RendezvousBalancer balancer;
  private RendezvousBalancer bounded;
  private Router singlePool;
  private Router threeRules;
  private int next;

  @Setup
  public void setUp() {
    targets = new ArrayList<>();
    for (int i = 0; i < brokers; i++) {
      targets.add(new BenchTarget("broker-" + i, 1000 + i));
    }
    for (int i = 0; i < clientIds.length; i++) {
      clientIds[i] = "sensor-" + i + "-" + Integer.toHexString(i * 7919);
    }
    balancer = new RendezvousBalancer(0, 0);
    bounded = new RendezvousBalancer(PoolConfig.DEFAULT_LOAD_FACTOR, 10);
    singlePool = new Router(config(List.of()));
    // two rules that miss (a glob, a regex), then a catch-all glob
    threeRules = new Router(config(List.of(
        new RuleConfig("lab", "brokers", List.of(), "lab-*", null, null, null),
        new RuleConfig("vip", "brokers", List.of(), null, "vip-[0-9]+", null, null),
        new RuleConfig("rest", "brokers", List.of("mqtt"), "*", null, null, null))));
  }

  private String nextId() {
    next = (next + 1) & (clientIds.length - 1);
    return clientIds[next];
  }

  @Benchmark
  public List<BenchTarget> rendezvousOrder() {
    return balancer.order(nextId(), targets);
  }

  /** The same with the bounded-load check active (pool over its minimum of sessions). */
  @Benchmark
  public List<BenchTarget> rendezvousOrderBounded() {
    return bounded.order(nextId(), targets);
  }

  @Benchmark
  public String routerPoolFor() {
    return singlePool.poolFor(RouteRequest.of("mqtt", nextId(), null));
  }

  @Benchmark
  public String routerPoolForThreeRules() {
    return threeRules.poolFor(RouteRequest.of("mqtt", nextId(), "device"));
  }

  private BastionConfig config(List<RuleConfig> rules) {
    List<BrokerConfig> list = new ArrayList<>();
    for (int i = 0; i < brokers; i++) {
      list.add(new BrokerConfig("broker-" + i, "127.0.0.1", 1884 + i, 1));
    }
    PoolConfig pool = new PoolConfig("brokers", Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
        PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, list, HealthConfig.DEFAULT,
        PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
        PoolConfig.DEFAULT_EJECT_FOR);
    ListenerConfig listener = new ListenerConfig("mqtt", "127.0.0.1", 1883,
        ListenerConfig.DEFAULT_CONNECT_TIMEOUT, ListenerConfig.DEFAULT_MAX_PACKET_SIZE);
    return new BastionConfig(List.of(listener), List.of(pool), rules, ShutdownConfig.DEFAULT,
        io.bastion.config.AdminConfig.DISABLED);
  }

  /** A broker as the balancer sees it. */
  public static final class BenchTarget implements Target {
    private final String id;
    private final long hash;
    private final int load;

    BenchTarget(String id, int load) {
      this.id = id;
      this.hash = StableHash.of(id);
      this.load = load;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public long idHash() {
      return hash;
    }

    @Override
    public int weight() {
      return 1;
    }

    @Override
    public int load() {
      return load;
    }
  }
}

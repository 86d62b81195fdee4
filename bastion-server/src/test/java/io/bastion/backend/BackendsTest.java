package io.bastion.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.AdminConfig;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pools and brokers change at run time; brokers keep their identity where they can. */
class BackendsTest {

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final List<Broker> retired = new ArrayList<>();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static BastionConfig config(PoolConfig... pools) {
    return new BastionConfig(List.of(), List.of(pools), List.of(), ShutdownConfig.DEFAULT, AdminConfig.DISABLED);
  }

  private static PoolConfig pool(String name, Strategy strategy, BrokerConfig... brokers) {
    return new PoolConfig(name, strategy, 1.25, 200, List.of(brokers),
        new HealthConfig(false, Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 3),
        Duration.ofSeconds(1), 3, Duration.ofSeconds(5));
  }

  private Backends backends(BastionConfig config) {
    return new Backends(config, group, NioSocketChannel.class, "test", retired::add);
  }

  @Test
  void unchangedBrokersKeepTheirStateAndWeightChangesApply() {
    BrokerConfig a = new BrokerConfig("a", "127.0.0.1", 1884, 1);
    BrokerConfig b = new BrokerConfig("b", "127.0.0.1", 1885, 1);
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH, a, b)));
    Broker before = backends.pool("p").broker("a");
    before.sessionOpened();

    List<String> changes = backends.apply(config(pool("p", Strategy.CLIENT_ID_HASH,
        new BrokerConfig("a", "127.0.0.1", 1884, 5), b)));

    Broker after = backends.pool("p").broker("a");
    assertThat(after).isSameAs(before);
    assertThat(after.weight()).isEqualTo(5);
    assertThat(after.load()).isEqualTo(1);
    assertThat(changes).containsExactly("pool p updated");
    assertThat(retired).isEmpty();
  }

  @Test
  void removedAndMovedBrokersAreRetiredAndReplaced() {
    BrokerConfig a = new BrokerConfig("a", "127.0.0.1", 1884, 1);
    BrokerConfig b = new BrokerConfig("b", "127.0.0.1", 1885, 1);
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH, a, b)));
    Broker oldA = backends.pool("p").broker("a");
    Broker oldB = backends.pool("p").broker("b");

    backends.apply(config(pool("p", Strategy.CLIENT_ID_HASH, new BrokerConfig("a", "127.0.0.1", 1999, 1))));

    assertThat(retired).containsExactlyInAnyOrder(oldA, oldB);
    assertThat(backends.pool("p").brokers()).hasSize(1);
    assertThat(backends.pool("p").broker("a")).isNotSameAs(oldA);
    assertThat(backends.pool("p").broker("a").address().getPort()).isEqualTo(1999);
  }

  @Test
  void turningHealthChecksOffForgetsADownVerdict() {
    BrokerConfig a = new BrokerConfig("a", "127.0.0.1", 1884, 1);
    PoolConfig off = pool("p", Strategy.CLIENT_ID_HASH, a);
    PoolConfig probed = new PoolConfig("p", off.strategy(), off.loadFactor(), off.boundedLoadMinAverage(),
        off.brokers(), new HealthConfig(true, Duration.ofHours(1), Duration.ofSeconds(1), 2, 3),
        off.connectTimeout(), off.ejectAfterFailures(), off.ejectFor());
    Backends backends = backends(config(probed));
    Broker broker = backends.pool("p").broker("a");
    broker.setHealthy(false); // as the probe would after failures
    backends.apply(config(off));
    assertThat(broker.healthy()).isTrue();
    backends.close();
  }

  @Test
  void poolsAreAddedAndRemoved() {
    BrokerConfig a = new BrokerConfig("a", "127.0.0.1", 1884, 1);
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH, a)));
    Broker oldA = backends.pool("p").broker("a");
    List<String> changes = backends.apply(config(pool("q", Strategy.ROUND_ROBIN, a)));
    assertThat(changes).contains("pool q added", "pool p removed (draining)");
    assertThat(backends.pool("p")).isNull();
    assertThat(backends.pool("q").brokers()).hasSize(1);
    assertThat(retired).containsExactly(oldA);
  }

  @Test
  void brokersAddedAndRemovedAtRunTime() {
    Backends backends = backends(config(pool("p", Strategy.LEAST_CONNECTIONS,
        new BrokerConfig("a", "127.0.0.1", 1884, 1))));
    Broker added = backends.addBroker("p", new BrokerConfig("b", "127.0.0.1", 1885, 1));
    assertThat(backends.pool("p").candidates("x")).contains(added);
    backends.removeBroker("p", added);
    assertThat(backends.pool("p").candidates("x")).doesNotContain(added);
    assertThat(retired).containsExactly(added);
  }

  @Test
  void drainingBrokersAreNeverCandidatesEvenInPanic() {
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH,
        new BrokerConfig("a", "127.0.0.1", 1884, 1), new BrokerConfig("b", "127.0.0.1", 1885, 1))));
    Broker a = backends.pool("p").broker("a");
    Broker b = backends.pool("p").broker("b");
    a.setDraining(true);
    assertThat(backends.pool("p").candidates("x")).containsExactly(b);
    b.setHealthy(false);
    // every available broker gone: all non-draining ones are tried anyway
    assertThat(backends.pool("p").candidates("x")).containsExactly(b);
  }

  @Test
  void disabledBrokersKeepTheirSessionsButAreNeverCandidatesEvenInPanic() {
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH,
        new BrokerConfig("a", "127.0.0.1", 1884, 1), new BrokerConfig("b", "127.0.0.1", 1885, 1))));
    Broker a = backends.pool("p").broker("a");
    Broker b = backends.pool("p").broker("b");
    a.sessionOpened();
    a.setDisabled(true);
    assertThat(backends.pool("p").candidates("x")).containsExactly(b);
    assertThat(a.sessions()).isEqualTo(1);
    b.setHealthy(false);
    assertThat(backends.pool("p").candidates("x")).containsExactly(b);
    a.setDisabled(false);
    assertThat(backends.pool("p").candidates("x")).containsExactly(a);
  }

  @Test
  void anOperatorsWeightHoldsUntilAReloadChangesTheConfiguredOne() {
    BrokerConfig b = new BrokerConfig("b", "127.0.0.1", 1885, 1);
    Backends backends = backends(config(pool("p", Strategy.CLIENT_ID_HASH,
        new BrokerConfig("a", "127.0.0.1", 1884, 2), b)));
    Broker a = backends.pool("p").broker("a");
    a.setAdminWeight(7);
    assertThat(a.weight()).isEqualTo(7);
    backends.apply(config(pool("p", Strategy.CLIENT_ID_HASH, new BrokerConfig("a", "127.0.0.1", 1884, 2), b)));
    assertThat(a.weight()).as("a reload that keeps the weight keeps the override").isEqualTo(7);
    backends.apply(config(pool("p", Strategy.CLIENT_ID_HASH, new BrokerConfig("a", "127.0.0.1", 1884, 3), b)));
    assertThat(a.weight()).isEqualTo(3);
    assertThat(a.adminWeight()).isZero();
  }
}

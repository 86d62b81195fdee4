package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.Strategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Routing needs no shared lookup: nodes that were configured alike and see the same brokers pick
 * the same broker for every client id, each computing it on its own.
 */
class RoutingAgreementTest {

  private static final int NODES = 5;
  private static final int CLIENTS = 100_000;

  private static PoolConfig pool(int brokers) {
    List<BrokerConfig> list = new ArrayList<>();
    for (int i = 1; i <= brokers; i++) {
      list.add(new BrokerConfig("broker-" + i, "10.0.0." + i, 1883, 1));
    }
    return new PoolConfig("fleet", Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
        PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, list, HealthConfig.DEFAULT,
        PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
        PoolConfig.DEFAULT_EJECT_FOR);
  }

  /** Each simulated node builds its own pool objects, as separate processes would. */
  private static List<BrokerPool> nodes(PoolConfig config) {
    List<BrokerPool> nodes = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodes.add(new BrokerPool(config));
    }
    return nodes;
  }

  @Test
  void fiveNodesAgreeOnEveryClientId() {
    List<BrokerPool> nodes = nodes(pool(4));
    int agreed = 0;
    for (int c = 0; c < CLIENTS; c++) {
      String id = "device-" + c;
      String first = nodes.get(0).candidates(id).get(0).id();
      boolean all = true;
      for (int n = 1; n < NODES; n++) {
        all &= nodes.get(n).candidates(id).get(0).id().equals(first);
      }
      agreed += all ? 1 : 0;
    }
    assertThat(agreed).isEqualTo(CLIENTS);
    assertThat(ConfigFingerprint.of(config(pool(4)))).isEqualTo(ConfigFingerprint.of(config(pool(4))))
        .isNotEqualTo(ConfigFingerprint.of(config(pool(5))));
  }

  @Test
  void aBrokerMajorityReportsDownIsAvoidedByEveryNodeAlike() {
    List<BrokerPool> nodes = nodes(pool(4));
    for (BrokerPool p : nodes) {
      p.broker("broker-2").setDownByPeers(true);
    }
    for (int c = 0; c < CLIENTS; c++) {
      String id = "device-" + c;
      Broker first = nodes.get(0).candidates(id).get(0);
      assertThat(first.id()).isNotEqualTo("broker-2");
      for (int n = 1; n < NODES; n++) {
        assertThat(nodes.get(n).candidates(id).get(0).id()).isEqualTo(first.id());
      }
    }
  }

  @Test
  void aJoiningBrokerMovesNoMoreThanItsShare() {
    int brokers = 4;
    List<BrokerPool> before = nodes(pool(brokers));
    List<BrokerPool> after = nodes(pool(brokers + 1));
    int moved = 0;
    for (int c = 0; c < CLIENTS; c++) {
      String id = "device-" + c;
      String was = before.get(c % NODES).candidates(id).get(0).id();
      String is = after.get((c + 1) % NODES).candidates(id).get(0).id();
      if (!was.equals(is)) {
        moved++;
        assertThat(is).isEqualTo("broker-" + (brokers + 1));
      }
    }
    assertThat(moved / (double) CLIENTS).isLessThanOrEqualTo(1.0 / (brokers + 1) + 0.02);
  }

  private static io.bastion.config.BastionConfig config(PoolConfig pool) {
    return new io.bastion.config.BastionConfig(List.of(), List.of(pool), List.of(),
        io.bastion.config.ShutdownConfig.DEFAULT, io.bastion.config.AdminConfig.DEFAULT);
  }
}

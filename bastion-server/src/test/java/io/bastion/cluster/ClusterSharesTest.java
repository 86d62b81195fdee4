package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.ConnectionLimitsConfig;
import io.bastion.config.RateConfig;
import io.bastion.config.SecurityConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSharesTest {

  private static final SecurityConfig LIMITED = new SecurityConfig(
      new ConnectionLimitsConfig(10_000, 20, new RateConfig(30, 60), new RateConfig(300, 300)),
      List.of(), List.of(), SecurityConfig.DEFAULT.auth(), SecurityConfig.DEFAULT.acl(),
      SecurityConfig.DEFAULT.clients());

  @Test
  void eachNodeEnforcesItsShareOfTheAcceptRates() {
    ConnectionLimitsConfig c = ClusterShares.perNode(LIMITED, 3).connections();
    assertThat(c.ratePerIp()).isEqualTo(new RateConfig(10, 20));
    assertThat(c.ratePerSubnet()).isEqualTo(new RateConfig(100, 100));
    // a node's own capacity is not shared out
    assertThat(c.max()).isEqualTo(10_000);
    assertThat(c.maxPerIp()).isEqualTo(20);
  }

  @Test
  void aloneOrWithoutLimitsNothingChanges() {
    assertThat(ClusterShares.perNode(LIMITED, 1)).isSameAs(LIMITED);
    assertThat(ClusterShares.perNode(SecurityConfig.DEFAULT, 5).connections())
        .isEqualTo(SecurityConfig.DEFAULT.connections());
  }

  @Test
  void aBurstNeverDropsBelowOneConnection() {
    SecurityConfig tight = new SecurityConfig(
        new ConnectionLimitsConfig(0, 0, new RateConfig(1, 1), RateConfig.OFF), List.of(), List.of(),
        SecurityConfig.DEFAULT.auth(), SecurityConfig.DEFAULT.acl(), SecurityConfig.DEFAULT.clients());
    assertThat(ClusterShares.perNode(tight, 4).connections().ratePerIp()).isEqualTo(new RateConfig(0.25, 1));
  }
}

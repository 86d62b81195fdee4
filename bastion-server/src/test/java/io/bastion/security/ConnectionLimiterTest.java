package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.ConnectionLimitsConfig;
import io.bastion.config.RateConfig;
import io.bastion.security.ConnectionLimiter.Outcome;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

  @Test
  void globalAndPerAddressMaximumsAreReleasedOnClose() throws Exception {
    ConnectionLimiter l = new ConnectionLimiter(new ConnectionLimitsConfig(3, 2, RateConfig.OFF, RateConfig.OFF));
    InetAddress a = InetAddress.getByName("127.0.0.2");
    InetAddress b = InetAddress.getByName("127.0.0.3");
    assertThat(l.admit(a)).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.admit(a)).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.admit(a)).isEqualTo(Outcome.TOO_MANY_FROM_ADDRESS);
    assertThat(l.admit(b)).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.admit(b)).isEqualTo(Outcome.TOO_MANY_CONNECTIONS);
    l.release(a);
    assertThat(l.open()).isEqualTo(2);
    assertThat(l.admit(b)).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.openFrom(a)).isEqualTo(1);
  }

  @Test
  void newConnectionRatePerAddressAndPerSubnet() throws Exception {
    ConnectionLimiter l = new ConnectionLimiter(new ConnectionLimitsConfig(0, 0,
        new RateConfig(0.001, 2), new RateConfig(0.001, 3)));
    assertThat(l.admit(InetAddress.getByName("198.51.100.1"))).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.admit(InetAddress.getByName("198.51.100.1"))).isEqualTo(Outcome.ACCEPTED);
    assertThat(l.admit(InetAddress.getByName("198.51.100.1"))).isEqualTo(Outcome.ADDRESS_RATE);
    assertThat(l.admit(InetAddress.getByName("198.51.100.2"))).isEqualTo(Outcome.SUBNET_RATE);
    assertThat(l.admit(InetAddress.getByName("198.51.101.2"))).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void subnetsAreSlash24AndSlash64() throws Exception {
    assertThat(ConnectionLimiter.subnet(InetAddress.getByName("10.1.2.3")))
        .isEqualTo(ConnectionLimiter.subnet(InetAddress.getByName("10.1.2.200")))
        .isNotEqualTo(ConnectionLimiter.subnet(InetAddress.getByName("10.1.3.3")));
    assertThat(ConnectionLimiter.subnet(InetAddress.getByName("2001:db8:0:1::1")))
        .isEqualTo(ConnectionLimiter.subnet(InetAddress.getByName("2001:db8:0:1:ffff::9")))
        .isNotEqualTo(ConnectionLimiter.subnet(InetAddress.getByName("2001:db8:0:2::1")));
  }
}

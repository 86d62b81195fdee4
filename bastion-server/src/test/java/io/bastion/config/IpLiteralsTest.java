package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1", "fe80::1%eth0",
      "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::", "1:2:3:4:5:6::8"})
  void valid(String address) {
    assertThat(IpLiterals.isIpLiteral(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "example.com", "256.0.0.1", "1.2.3", "01.2.3.4",
      "1.2.3.4.5", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "1:2:3:4:5:6:7:8::",
      "[::1]", "::1%", "1.2.3.4::", "g::1"})
  void invalid(String address) {
    assertThat(IpLiterals.isIpLiteral(address)).isFalse();
  }
}

package io.bastion.config;

import java.util.List;

/**
 * PROXY protocol (v1 and v2) on a listener behind an L4 balancer.
 *
 * @param trusted addresses and CIDR blocks (e.g. {@code 10.0.0.0/8}) allowed to send the header;
 *     connections from anywhere else are closed
 */
public record ProxyProtocolConfig(List<String> trusted) {
  public ProxyProtocolConfig {
    trusted = List.copyOf(trusted);
  }
}

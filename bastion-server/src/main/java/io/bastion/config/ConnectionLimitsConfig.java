package io.bastion.config;

/**
 * Limits checked when a connection is accepted, before any TLS or MQTT work. 0 means unlimited.
 *
 * @param max connections open at once on this node
 * @param maxPerIp connections open at once from one source address
 * @param ratePerIp new connections per second from one source address (token bucket)
 * @param ratePerSubnet new connections per second from one /24 (IPv4) or /64 (IPv6)
 */
public record ConnectionLimitsConfig(
    int max, int maxPerIp, RateConfig ratePerIp, RateConfig ratePerSubnet) {

  public static final ConnectionLimitsConfig UNLIMITED =
      new ConnectionLimitsConfig(0, 0, RateConfig.OFF, RateConfig.OFF);
}

package io.bastion.cluster;

import io.bastion.config.ConnectionLimitsConfig;
import io.bastion.config.RateConfig;
import io.bastion.config.SecurityConfig;

/**
 * Limits meant for the whole cluster, shared out: with DNS round robin in front, a client's
 * connections spread over every node, so each node enforces its share of a per-IP or per-subnet
 * accept rate (limit ÷ live nodes). Rate limits stay local: no shared counter on the hot path.
 */
public final class ClusterShares {

  private ClusterShares() {}

  public static SecurityConfig perNode(SecurityConfig security, int liveNodes) {
    if (liveNodes <= 1) {
      return security;
    }
    ConnectionLimitsConfig c = security.connections();
    ConnectionLimitsConfig shared = new ConnectionLimitsConfig(c.max(), c.maxPerIp(),
        share(c.ratePerIp(), liveNodes), share(c.ratePerSubnet(), liveNodes));
    return new SecurityConfig(shared, security.blocklist(), security.allowlist(), security.auth(),
        security.acl(), security.clients());
  }

  private static RateConfig share(RateConfig rate, int nodes) {
    if (rate.perSecond() == 0) {
      return rate; // off
    }
    // the burst never drops below one connection, or a share of a small limit would refuse all
    return new RateConfig(rate.perSecond() / nodes, Math.max(1, rate.burst() / nodes));
  }
}

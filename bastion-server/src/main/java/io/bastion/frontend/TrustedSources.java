package io.bastion.frontend;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/** The addresses allowed to send a PROXY protocol header, compiled once per configuration. */
final class TrustedSources {

  private final List<IpSubnetFilterRule> rules;

  TrustedSources(List<String> cidrs) {
    this.rules = cidrs.stream().map(TrustedSources::rule).toList();
  }

  boolean contains(SocketAddress address) {
    if (!(address instanceof InetSocketAddress inet)) {
      return false;
    }
    for (IpSubnetFilterRule r : rules) {
      if (r.matches(inet)) {
        return true;
      }
    }
    return false;
  }

  private static IpSubnetFilterRule rule(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    int prefix = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(cidr.substring(slash + 1));
    return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
  }
}

package io.bastion.config;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code listeners[*].proxy-protocol}: who may send a PROXY protocol header. */
final class ProxyProtocolSection {

  static final List<String> KEYS = List.of("trusted");

  private ProxyProtocolSection() {}

  static ProxyProtocolConfig read(MappingReader r) {
    if (r == null) {
      return null;
    }
    List<String> trusted = new ArrayList<>();
    if (!r.has("trusted")) {
      r.error("trusted", "missing required key 'trusted': the addresses of the balancers in front");
    }
    for (MappingReader.Item item : r.strings("trusted")) {
      String problem = cidrProblem(item.value().trim());
      if (problem != null) {
        r.error(item, problem);
      }
      trusted.add(item.value().trim());
    }
    return new ProxyProtocolConfig(trusted);
  }

  /** Null for an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8, else the reason. */
  static String cidrProblem(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!IpLiterals.isIpLiteral(address)) {
      return "expected an IP address or CIDR block such as 10.0.0.0/8, got '" + text + "'";
    }
    if (slash >= 0) {
      int max = address.contains(":") ? 128 : 32;
      try {
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > max) {
          return "prefix length must be 0.." + max + ", got '" + text + "'";
        }
      } catch (NumberFormatException e) {
        return "expected a prefix length after '/', got '" + text + "'";
      }
    }
    return null;
  }
}

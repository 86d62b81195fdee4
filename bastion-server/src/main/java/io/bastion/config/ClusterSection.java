package io.bastion.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code cluster}. */
final class ClusterSection {

  static final List<String> KEYS = List.of("enabled", "name", "bind", "port", "members", "dns",
      "multicast", "trusted", "allow-public-bind", "quorum", "heartbeat", "suspect-after",
      "merge-delay", "server-reference");

  private ClusterSection() {}

  static ClusterConfig read(MappingReader r) {
    if (r == null) {
      return ClusterConfig.STANDALONE;
    }
    ClusterConfig d = ClusterConfig.STANDALONE;
    boolean enabled = r.bool("enabled", true);
    String name = r.string("name", d.name());
    if (name != null && name.isBlank()) {
      r.error("name", "must not be empty");
    }
    boolean allowPublic = r.bool("allow-public-bind", false);
    String bind = r.string("bind", d.bind());
    if (bind != null) {
      if (!IpLiterals.isIpLiteral(bind)) {
        r.error("bind", "'" + bind + "' is not an IP address; name the interface the cluster port "
            + "binds to, such as 10.0.0.5");
      } else if (!allowPublic && !isPrivate(bind)) {
        r.error("bind", "'" + bind + "' is " + (isWildcard(bind) ? "every interface" : "a public address")
            + ": members talk unencrypted; bind to a private address (10/8, 172.16/12, 192.168/16, "
            + "fc00::/7, loopback) or set cluster.allow-public-bind: true");
      }
    }
    int port = r.integer("port", d.port(), 1, 65535);
    List<String> members = new ArrayList<>();
    for (MappingReader.Item item : r.strings("members")) {
      String problem = memberProblem(item.value());
      if (problem != null) {
        r.error(item, problem);
      } else {
        members.add(item.value().trim());
      }
    }
    String dns = r.string("dns", null);
    if (dns != null && (dns.isBlank() || dns.contains(":") && !IpLiterals.isIpLiteral(dns))) {
      r.error("dns", "expected a DNS name such as bastion.internal, got '" + dns + "'");
    }
    boolean multicast = r.bool("multicast", false);
    List<String> trusted = new ArrayList<>();
    for (MappingReader.Item item : r.strings("trusted")) {
      try {
        Cidr.parse(item.value());
        trusted.add(item.value().trim());
      } catch (IllegalArgumentException e) {
        r.error(item, e.getMessage());
      }
    }
    int quorum = r.integer("quorum", 0, 0, 1000);
    Duration heartbeat = wholeSeconds(r, "heartbeat", d.heartbeat());
    Duration suspect = wholeSeconds(r, "suspect-after", d.suspectAfter());
    Duration merge = wholeSeconds(r, "merge-delay", d.mergeDelay());
    if (heartbeat != null && suspect != null && suspect.compareTo(heartbeat) <= 0) {
      r.error("suspect-after", "must be longer than heartbeat (" + heartbeat.toSeconds() + "s)");
    }
    String reference = r.string("server-reference", null);
    if (reference != null && reference.isBlank()) {
      r.error("server-reference", "must not be empty; leave it out to let clients reconnect where they were");
    }
    return new ClusterConfig(enabled, name, bind, port, members, dns, multicast, trusted,
        allowPublic, quorum, heartbeat, suspect, merge, reference);
  }

  /** The engine counts heartbeats and merge delays in whole seconds. */
  private static Duration wholeSeconds(MappingReader r, String key, Duration fallback) {
    Duration value = r.duration(key, fallback, true);
    if (value != null && (value.toMillis() % 1000 != 0)) {
      r.error(key, "must be whole seconds, such as 1s or 5s");
    }
    return value;
  }

  private static String memberProblem(String member) {
    String m = member.trim();
    String host = m;
    if (m.startsWith("[")) {
      int close = m.indexOf(']');
      if (close < 0) {
        return "expected host, host:port or [ipv6]:port, got '" + member + "'";
      }
      host = m.substring(1, close);
      String rest = m.substring(close + 1);
      return rest.isEmpty() ? null : rest.startsWith(":") ? portProblem(rest.substring(1), member)
          : "expected host, host:port or [ipv6]:port, got '" + member + "'";
    }
    int colon = m.indexOf(':');
    if (colon >= 0 && colon == m.lastIndexOf(':')) {
      host = m.substring(0, colon);
      String problem = portProblem(m.substring(colon + 1), member);
      if (problem != null) {
        return problem;
      }
    }
    if (host.isEmpty()) {
      return "expected host, host:port or [ipv6]:port, got '" + member + "'";
    }
    return null;
  }

  private static String portProblem(String port, String member) {
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      return "port must be 1 to 65535 in '" + member + "'";
    }
    return null;
  }

  private static boolean isWildcard(String ip) {
    return ip.equals("0.0.0.0") || ip.equals("::") || ip.equals("0:0:0:0:0:0:0:0");
  }

  /**
   * Loopback, link-local, RFC 1918 and unique-local IPv6 addresses: where unencrypted member
   * traffic stays off the internet.
   */
  static boolean isPrivate(String ip) {
    if (isWildcard(ip)) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByName(ip); // a literal: no lookup
      byte[] b = a.getAddress();
      boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
      return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || uniqueLocal;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

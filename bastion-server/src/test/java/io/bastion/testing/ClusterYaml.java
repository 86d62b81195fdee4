package io.bastion.testing;

import java.util.List;
import java.util.stream.Collectors;

/** The {@code cluster:} section that makes {@link BastionNodes} one cluster of their own. */
public final class ClusterYaml {

  private ClusterYaml() {}

  /**
   * Node {@code node} of {@code hosts} joins the cluster {@code name} on {@code port}, with every
   * node as a seed member and only loopback peers trusted.
   */
  public static String of(String name, List<String> hosts, int port, int node) {
    String members = hosts.stream().map(h -> h + ":" + port).collect(Collectors.joining(", "));
    return "cluster:\n  name: " + name + "\n  bind: " + hosts.get(node) + "\n  port: " + port
        + "\n  members: [" + members + "]\n  trusted: [127.0.0.0/8]\n";
  }
}

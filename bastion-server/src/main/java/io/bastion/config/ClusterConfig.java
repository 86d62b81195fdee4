package io.bastion.config;

import java.time.Duration;
import java.util.List;

/**
 * Clustering settings ({@code cluster:}). A node without a {@code cluster:} section runs standalone.
 *
 * @param enabled whether this node joins a cluster of Bastion nodes
 * @param name the cluster's name: members with another name never join
 * @param bind the interface (IP address) the cluster port is bound to
 * @param port the cluster port
 * @param members seed members as {@code host} or {@code host:port}
 * @param dns a DNS name whose addresses are the members (resolved at start), or null
 * @param multicast discover members by multicast (off by default: LANs rarely want it)
 * @param trusted addresses or networks members may come from; empty: the bind address, the seeds
 *     and the DNS name's addresses
 * @param allowPublicBind bind the cluster port to a public address anyway
 * @param quorum members that must be reachable to change broker admin state; 0: a majority of the
 *     seed list
 * @param heartbeat how often members tell each other they are alive
 * @param suspectAfter silence after which a member is removed
 * @param mergeDelay how soon after a split heals the halves look for each other and merge
 * @param serverReference where MQTT 5 clients are told to reconnect when this node leaves
 *     (DISCONNECT 0x9C "use another server" with a Server Reference), or null: they reconnect to
 *     the address they know, which DNS or the L4 balancer sends to a live node
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String bind,
    int port,
    List<String> members,
    String dns,
    boolean multicast,
    List<String> trusted,
    boolean allowPublicBind,
    int quorum,
    Duration heartbeat,
    Duration suspectAfter,
    Duration mergeDelay,
    String serverReference) {

  public static final String DEFAULT_NAME = "bastion";
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SUSPECT_AFTER = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MERGE_DELAY = Duration.ofSeconds(5);

  public static final ClusterConfig STANDALONE =
      new ClusterConfig(false, DEFAULT_NAME, DEFAULT_BIND, DEFAULT_PORT, List.of(), null, false,
          List.of(), false, 0, DEFAULT_HEARTBEAT, DEFAULT_SUSPECT_AFTER, DEFAULT_MERGE_DELAY, null);

  public ClusterConfig {
    members = List.copyOf(members);
    trusted = List.copyOf(trusted);
  }

  /** A clustered node with default timings. */
  public static ClusterConfig of(String name, String bind, int port, List<String> members) {
    return new ClusterConfig(true, name, bind, port, members, null, false, List.of(), false, 0,
        DEFAULT_HEARTBEAT, DEFAULT_SUSPECT_AFTER, DEFAULT_MERGE_DELAY, null);
  }

  /**
   * Members needed for a write of broker admin state: {@code quorum}, or a majority of the seed
   * list, which names every node (the same list on every node).
   */
  public int effectiveQuorum() {
    if (quorum > 0) {
      return quorum;
    }
    return members.isEmpty() ? 1 : members.size() / 2 + 1;
  }
}

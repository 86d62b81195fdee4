package io.bastion.cluster;

import io.bastion.backend.Broker;
import java.util.List;

/**
 * What Bastion shares with the other nodes of its cluster. The hot path never calls it: shared
 * items are mirrored into local structures (blocklist, broker state) by listeners, so a CONNECT
 * reads only local memory. Blocklist changes and sessions are picked up from the node's own
 * structures; only writes that need a majority go through a method here.
 */
public interface ClusterState extends AutoCloseable {

  /** Starts sharing; a clustered node joins in the background and serves on its own meanwhile. */
  void start(LocalNode node);

  /**
   * Drains a broker (or takes it back) on every node.
   *
   * @return sessions this node moves
   * @throws ClusterUnavailableException when too few members are reachable to agree
   */
  int drain(Broker broker, boolean draining, double sessionsPerSecond);

  /**
   * Disables a broker (or enables it) and sets its weight on every node; sessions stay where they
   * are.
   *
   * @param weight overrides the configured weight; 0 returns to the configured one
   * @throws ClusterUnavailableException when too few members are reachable to agree
   */
  void configure(Broker broker, boolean disabled, int weight);

  /** Where a client id is connected cluster-wide, or an empty list. */
  List<ClientLocation> locate(String clientId);

  /** Members, their fingerprints and this node's view of the cluster. */
  ClusterView view();

  /** Security events of every node, newest first. */
  List<ClusterEvent> events(int limit);

  /** Nodes currently in the cluster, this one included (1 when standalone). */
  int liveNodes();

  /** The routing-relevant configuration changed (after a reload). */
  void fingerprint(String fingerprint);

  /** Leaves the cluster (after sessions were handed off). */
  @Override
  void close();
}

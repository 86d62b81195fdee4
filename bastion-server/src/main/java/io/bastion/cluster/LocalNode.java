package io.bastion.cluster;

import io.bastion.backend.BrokerPool;
import io.bastion.backend.discovery.Discovery;
import io.bastion.relay.BrokerDrainer;
import io.bastion.relay.SessionRegistry;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvents;
import java.util.List;

/** The local structures shared state is mirrored into. */
public interface LocalNode {

  String nodeId();

  Blocklist blocklist();

  SessionRegistry sessions();

  SecurityEvents events();

  List<BrokerPool> pools();

  BrokerDrainer drainer();

  /** Where brokers register themselves, or null when this node has no registration API. */
  Discovery discovery();

  /** Where this node's admin API answers, for other members to show ("host:port" or null). */
  String adminAddress();

  /** The number of live nodes changed: per-node shares of cluster-wide limits change with it. */
  void liveNodesChanged(int liveNodes);
}

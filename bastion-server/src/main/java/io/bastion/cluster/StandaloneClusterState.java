package io.bastion.cluster;

import io.bastion.backend.Broker;
import io.bastion.relay.Session;
import java.util.ArrayList;
import java.util.List;

/** A node on its own: everything is local, every write applies at once. The default. */
public final class StandaloneClusterState implements ClusterState {

  private volatile LocalNode node;
  private volatile String fingerprint = "";

  public StandaloneClusterState(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  @Override
  public void start(LocalNode node) {
    this.node = node;
    node.liveNodesChanged(1);
  }

  @Override
  public int drain(Broker broker, boolean draining, double sessionsPerSecond) {
    return applyDrain(node, broker, draining, sessionsPerSecond);
  }

  static int applyDrain(LocalNode node, Broker broker, boolean draining, double sessionsPerSecond) {
    if (draining) {
      return node.drainer().drain(broker, sessionsPerSecond);
    }
    node.drainer().undrain(broker);
    return 0;
  }

  @Override
  public void configure(Broker broker, boolean disabled, int weight) {
    applySettings(broker, disabled, weight);
  }

  static void applySettings(Broker broker, boolean disabled, int weight) {
    broker.setDisabled(disabled);
    broker.setAdminWeight(weight);
  }

  @Override
  public List<ClientLocation> locate(String clientId) {
    return localSessions(node, clientId);
  }

  static List<ClientLocation> localSessions(LocalNode node, String clientId) {
    List<ClientLocation> out = new ArrayList<>();
    for (Session s : node.sessions().sessions()) {
      if (s.clientId().equals(clientId)) {
        out.add(new ClientLocation(clientId, node.nodeId(), s.broker().pool() + "/" + s.broker().id(),
            s.started().toEpochMilli()));
      }
    }
    return out;
  }

  @Override
  public ClusterView view() {
    LocalNode n = node;
    String id = n == null ? "" : n.nodeId();
    return new ClusterView("standalone", null, id, fingerprint, 1, true, false,
        List.of(new ClusterView.Member(id, null, n == null ? null : n.adminAddress(), fingerprint,
            true, true)),
        List.of(), new ClusterView.Propagation(0, 0, 0, 0), n == null ? java.util.Map.of() : sessions(n));
  }

  static java.util.Map<String, Integer> sessions(LocalNode node) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    for (io.bastion.backend.BrokerPool p : node.pools()) {
      for (Broker b : p.brokers()) {
        out.put(p.name() + "/" + b.id(), b.sessions());
      }
    }
    return out;
  }

  @Override
  public List<ClusterEvent> events(int limit) {
    LocalNode n = node;
    return n.events().recent(limit).stream().map(e -> ClusterEvent.of(n.nodeId(), e)).toList();
  }

  @Override
  public int liveNodes() {
    return 1;
  }

  @Override
  public void fingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  @Override
  public void close() {
    // nothing shared, nothing to leave
  }
}

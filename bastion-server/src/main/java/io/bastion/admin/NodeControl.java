package io.bastion.admin;

import io.bastion.backend.BrokerPool;
import io.bastion.backend.discovery.Discovery;
import io.bastion.cluster.ClusterState;
import io.bastion.config.BrokerConfig;
import io.bastion.config.ConfigError;
import io.bastion.detect.DetectionEngine;
import io.bastion.detect.model.FleetModel;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.bastion.frontend.Listener;
import io.bastion.relay.BrokerDrainer;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.PriorityPools;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvents;
import java.util.List;

/** What the admin server may see and change of a running node. */
public interface NodeControl {

  String nodeId();

  List<Listener> listeners();

  List<BrokerPool> pools();

  SessionRegistry sessions();

  TrafficStats traffic();

  SecurityEvents events();

  BrokerDrainer drainer();

  /** Discovery sources of every pool, and registrations of brokers that announce themselves. */
  Discovery discovery();

  /** Rules with pools by priority: which pool is active and why, sessions waiting to move back. */
  PriorityPools priority();

  /** Clients refused at CONNECT (and disconnected when added while connected). */
  Blocklist blocklist();

  /** Clients exempt from the blocklist and accept-time limits. */
  Blocklist allowlist();

  /** What this node shares with the other nodes of its cluster (standalone: only itself). */
  ClusterState cluster();

  /** Intrusion detection of this node. */
  DetectionEngine detection();

  /** The anomaly model, or null when it is off. */
  default FleetModel fleetModel() {
    return null;
  }

  /** Meters of the node's long-lived parts; every admin server's registry joins it. */
  default CompositeMeterRegistry meters() {
    return null;
  }

  /** Ready to take clients: listening, not stopping, every pool with a broker available. */
  List<String> notReadyReasons();

  /** Adds a broker to a pool until the next configuration reload. */
  void addBroker(String pool, BrokerConfig broker);

  /** Drains a broker, then removes it from its pool. */
  void removeBroker(String pool, String brokerId, double drainRate);

  /** Validates a candidate configuration without applying it. */
  List<ConfigError> validate(String yaml);

  /** Reloads the configuration file; returns what changed, or throws with every error. */
  List<String> reload() throws ReloadException;

  /** A reload that changed nothing because the candidate is invalid or could not be applied. */
  final class ReloadException extends Exception {
    private final transient List<ConfigError> errors;

    public ReloadException(String message, List<ConfigError> errors) {
      super(message);
      this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
      return errors;
    }
  }
}

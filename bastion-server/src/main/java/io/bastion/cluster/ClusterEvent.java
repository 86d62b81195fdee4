package io.bastion.cluster;

import io.bastion.security.SecurityEvent;
import java.io.Serializable;
import java.time.Instant;

/** A security event as every node sees it: the event and the node it happened on. */
public record ClusterEvent(String node, long time, String kind, String reason, String listener,
    String remoteAddress, String clientId, String detail) implements Serializable {

  static ClusterEvent of(String node, SecurityEvent e) {
    return new ClusterEvent(node, e.time().toEpochMilli(), e.kind(), e.reason(), e.listener(),
        e.remoteAddress(), e.clientId(), e.detail());
  }

  public Instant at() {
    return Instant.ofEpochMilli(time);
  }
}

package io.bastion.cluster;

import java.util.List;

/**
 * This node's view of the cluster.
 *
 * @param mode {@code standalone}, {@code joining}, {@code clustered} or {@code left}
 * @param quorum members needed for broker admin writes
 * @param fingerprintMismatch whether a member routes with another configuration
 * @param problems what an operator should know (seeds unreachable, untrusted member, mismatch)
 * @param sessionsPerBroker sessions on each broker ({@code pool/broker}) summed over every node
 */
public record ClusterView(String mode, String name, String node, String fingerprint, int quorum,
    boolean writable, boolean fingerprintMismatch, List<Member> members, List<String> problems,
    Propagation blockPropagation, java.util.Map<String, Integer> sessionsPerBroker) {

  /** One member as this node sees it. */
  public record Member(String node, String address, String admin, String fingerprint, boolean self,
      boolean trusted) {}

  /** Delays from a blocklist change on one node to its application here, in milliseconds. */
  public record Propagation(long count, double p50Millis, double p99Millis, double maxMillis) {}
}

package io.bastion.cluster;

/** A shared write refused because too few members are reachable to agree on it. */
public final class ClusterUnavailableException extends RuntimeException {

  public ClusterUnavailableException(String message) {
    super(message);
  }
}

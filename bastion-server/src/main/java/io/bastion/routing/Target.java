package io.bastion.routing;

/** What a balancer needs to know about a broker to place a session on it. */
public interface Target {

  /** Stable identity: two Bastion nodes with the same config hash it identically. */
  String id();

  /** {@link StableHash#of(CharSequence)} of {@link #id()}, computed once. */
  long idHash();

  /** Relative share of sessions, at least 1. */
  int weight();

  /** Sessions on this target: as the broker reports them where it does, else placed by this node. */
  int load();

  /** The most sessions this target takes, as it reported; 0 when unknown. */
  default int capacity() {
    return 0;
  }
}

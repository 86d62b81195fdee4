package io.bastion.config;

/**
 * Clustering settings ({@code cluster:}). A node without a {@code cluster:} section runs standalone.
 *
 * @param enabled whether this node joins a cluster of Bastion nodes
 */
public record ClusterConfig(boolean enabled) {

  public static final ClusterConfig STANDALONE = new ClusterConfig(false);
}

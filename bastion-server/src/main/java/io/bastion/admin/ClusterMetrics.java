package io.bastion.admin;

import io.bastion.cluster.ClusterState;
import io.bastion.cluster.ClusterView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code bastion_cluster_*}: members, agreement of configurations, block propagation. */
final class ClusterMetrics {

  private ClusterMetrics() {}

  static void bind(MeterRegistry registry, ClusterState cluster) {
    Gauge.builder("bastion.cluster.members", cluster, ClusterState::liveNodes)
        .description("Bastion nodes in the cluster, this one included").register(registry);
    Gauge.builder("bastion.cluster.fingerprint.mismatch", cluster,
            c -> c.view().fingerprintMismatch() ? 1 : 0)
        .description("1 while a member routes with another configuration").register(registry);
    Gauge.builder("bastion.cluster.writable", cluster, c -> c.view().writable() ? 1 : 0)
        .description("1 while enough members are reachable to drain brokers everywhere").register(registry);
    Gauge.builder("bastion.cluster.problems", cluster, c -> c.view().problems().size())
        .description("conditions an operator should look at (GET /api/cluster)").register(registry);
    Gauge.builder("bastion.cluster.block.propagation.p50", cluster, c -> seconds(c.view(), false))
        .baseUnit("seconds").description("median delay of blocklist changes from other nodes")
        .register(registry);
    Gauge.builder("bastion.cluster.block.propagation.p99", cluster, c -> seconds(c.view(), true))
        .baseUnit("seconds").description("99th percentile delay of blocklist changes from other nodes")
        .register(registry);
    Gauge.builder("bastion.cluster.block.propagation.count", cluster,
            c -> c.view().blockPropagation().count())
        .description("blocklist changes from other nodes applied here").register(registry);
  }

  private static double seconds(ClusterView v, boolean p99) {
    return (p99 ? v.blockPropagation().p99Millis() : v.blockPropagation().p50Millis()) / 1000.0;
  }
}

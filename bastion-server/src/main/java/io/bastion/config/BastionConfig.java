package io.bastion.config;

import java.util.List;

/** The whole validated configuration of one Bastion node. Immutable. */
public record BastionConfig(
    List<ListenerConfig> listeners,
    List<PoolConfig> pools,
    List<RuleConfig> rules,
    ShutdownConfig shutdown,
    AdminConfig admin,
    SecurityConfig security,
    DetectionConfig detection,
    ClusterConfig cluster) {

  /** A configuration without security settings (everything let through). */
  public BastionConfig(List<ListenerConfig> listeners, List<PoolConfig> pools,
      List<RuleConfig> rules, ShutdownConfig shutdown, AdminConfig admin) {
    this(listeners, pools, rules, shutdown, admin, SecurityConfig.DEFAULT);
  }

  /** A configuration with default detection, standalone. */
  public BastionConfig(List<ListenerConfig> listeners, List<PoolConfig> pools,
      List<RuleConfig> rules, ShutdownConfig shutdown, AdminConfig admin, SecurityConfig security) {
    this(listeners, pools, rules, shutdown, admin, security, DetectionConfig.DEFAULT,
        ClusterConfig.STANDALONE);
  }

  public BastionConfig {
    listeners = List.copyOf(listeners);
    pools = List.copyOf(pools);
    rules = List.copyOf(rules);
  }

  public PoolConfig pool(String name) {
    return pools.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}

package io.bastion.config;

import java.util.List;

/** The whole validated configuration of one Bastion node. Immutable. */
public record BastionConfig(
    List<ListenerConfig> listeners,
    List<PoolConfig> pools,
    List<RuleConfig> rules,
    ShutdownConfig shutdown,
    AdminConfig admin,
    SecurityConfig security) {

  /** A configuration without security settings (everything let through). */
  public BastionConfig(List<ListenerConfig> listeners, List<PoolConfig> pools,
      List<RuleConfig> rules, ShutdownConfig shutdown, AdminConfig admin) {
    this(listeners, pools, rules, shutdown, admin, SecurityConfig.DEFAULT);
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

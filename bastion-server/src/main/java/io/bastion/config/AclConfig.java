package io.bastion.config;

import java.util.List;

/**
 * Topic ACLs. With no rules there is no ACL; with rules, what no rule allows is denied.
 *
 * @param onDeniedPublish what happens to a client that publishes where it may not
 */
public record AclConfig(OnDenied onDeniedPublish, List<AclRuleConfig> rules) {

  public static final AclConfig NONE = new AclConfig(OnDenied.DROP, List.of());

  public AclConfig {
    rules = List.copyOf(rules);
  }

  public boolean enabled() {
    return !rules.isEmpty();
  }

  /** The answer to a denied PUBLISH. */
  public enum OnDenied {
    /** drop it (MQTT 5 QoS 1/2 get PUBACK/PUBREC 0x87) */
    DROP,
    /** end the session (MQTT 5 gets DISCONNECT 0x87) */
    DISCONNECT
  }
}

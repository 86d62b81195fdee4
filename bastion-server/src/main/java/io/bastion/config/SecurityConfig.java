package io.bastion.config;

import java.util.List;

/**
 * The security edge: connection limits, block and allow lists, edge authentication, topic ACLs and
 * per-client limits. Every part has a default that lets everything through.
 */
public record SecurityConfig(
    ConnectionLimitsConfig connections,
    List<AccessEntryConfig> blocklist,
    List<AccessEntryConfig> allowlist,
    AuthConfig auth,
    AclConfig acl,
    ClientLimitsConfig clients) {

  public static final SecurityConfig DEFAULT =
      new SecurityConfig(ConnectionLimitsConfig.UNLIMITED, List.of(), List.of(), AuthConfig.OFF,
          AclConfig.NONE, ClientLimitsConfig.UNLIMITED);

  public SecurityConfig {
    blocklist = List.copyOf(blocklist);
    allowlist = List.copyOf(allowlist);
  }
}

package io.bastion.config;

import java.util.List;

/**
 * Topics that one set of clients may use. A rule with none of {@code user}, {@code group} and
 * {@code certificate} applies to every client. Filters may use MQTT wildcards and the
 * substitutions {@code %u} (username) and {@code %c} (client id).
 */
public record AclRuleConfig(
    String user, String group, String certificate, List<String> publish, List<String> subscribe) {

  public AclRuleConfig {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }
}

package io.bastion.security;

/** Something a client did during its session that the edge refused or slowed; a metric label. */
public enum Violation {
  PUBLISH_DENIED("publish-denied"),
  SUBSCRIBE_DENIED("subscribe-denied"),
  BROAD_WILDCARD("broad-wildcard"),
  SUBSCRIPTION_LIMIT("subscription-limit"),
  PUBLISH_THROTTLED("publish-throttled"),
  PUBLISH_RATE_EXCEEDED("publish-rate-exceeded"),
  BLOCKED_WHILE_CONNECTED("blocked-while-connected");

  private final String label;

  Violation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

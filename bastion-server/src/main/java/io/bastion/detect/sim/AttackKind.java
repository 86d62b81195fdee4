package io.bastion.detect.sim;

/** Attacks the suite plays: those the rules target, and stealthy ones only a model can see. */
public enum AttackKind {
  CONNECT_FLOOD("connect flood", false),
  CLIENT_ID_CHURN("client-id churn", false),
  PUBLISH_FLOOD("publish flood", false),
  BRUTE_FORCE_IP("brute force per IP", false),
  BRUTE_FORCE_USERNAME("brute force per username", false),
  BRUTE_FORCE_DISTRIBUTED("distributed brute force", false),
  MALFORMED("malformed packets", false),
  SLOWITE("SlowITe", false),
  SLOWLORIS("slowloris", false),
  WILDCARD_SCAN("wildcard/$SYS scan", false),
  TOPIC_ENUMERATION("topic enumeration", false),
  TAKEOVER_PING_PONG("takeover ping-pong", false),
  SLOW_QOS2_SUBSCRIBER("slow QoS 2 subscriber", false),
  SLOW_BRUTE_FORCE("brute force 1/min across IPs", true),
  EXFILTRATION_PUBLISH("exfiltration by publish", true),
  EXFILTRATION_SUBSCRIBE("exfiltration by subscribe", true),
  UNAUTHORISED_PUBLISH("publish to never-used topics", true),
  C2_SUBSCRIPTION("command-and-control subscription", true),
  TOPIC_EXPLOSION("topic explosion", true),
  WILL_BOMB("Will bomb", true);

  private final String label;
  private final boolean stealthy;

  AttackKind(String label, boolean stealthy) {
    this.label = label;
    this.stealthy = stealthy;
  }

  public String label() {
    return label;
  }

  public boolean stealthy() {
    return stealthy;
  }

  /** Attacks whose every attempt comes from a fresh client id, so no per-client view can gather votes. */
  public boolean freshIdPerAttempt() {
    return this == CLIENT_ID_CHURN || this == SLOW_BRUTE_FORCE || this == BRUTE_FORCE_USERNAME
        || this == BRUTE_FORCE_DISTRIBUTED;
  }
}

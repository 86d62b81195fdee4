package io.bastion.detect;

/**
 * What Bastion measures about one client in one window. The order is the order of
 * {@link ClientWindow#values()}; {@link #label()} is the word a verdict uses for it.
 */
public enum ClientFeature {
  PUBLISHES_IN("messages published"),
  MESSAGES_OUT("messages delivered to it"),
  SUBSCRIBES("SUBSCRIBE packets"),
  UNSUBSCRIBES("UNSUBSCRIBE packets"),
  PINGS("PINGREQ packets"),
  OTHER_PACKETS("other packets"),
  BYTES_IN("bytes sent"),
  BYTES_OUT("bytes received"),
  PAYLOAD_MEAN("mean payload size"),
  PAYLOAD_MAX("largest payload"),
  RETAINED_RATIO("share of retained messages"),
  QOS2_RATIO("share of QoS 2 messages"),
  WILL_SIZE("Will message size"),
  DISTINCT_TOPICS("distinct publish topics"),
  NEW_TOPIC_SHARE("share of topics never used before"),
  TOPIC_DEPTH_MAX("deepest topic"),
  WILDCARD_FILTERS("wildcard subscriptions"),
  SYS_FILTERS("$SYS subscriptions"),
  ACL_DENIALS("ACL denials"),
  CONNECTS("connects"),
  TAKEOVERS("session takeovers"),
  KEEPALIVE("requested keepalive"),
  IDLE_RATIO("idle time / keepalive"),
  CONNECT_DELAY("time from accept to CONNECT"),
  STUCK_BYTES("bytes in an incomplete packet"),
  STUCK_MILLIS("time an incomplete packet waited"),
  INFLIGHT("unacknowledged QoS 1/2 messages"),
  AUTH_FAILURES("failed authentications"),
  MALFORMED("malformed packets");

  private final String label;

  ClientFeature(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static final int COUNT = values().length;
}

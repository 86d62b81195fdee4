package io.bastion.detect;

/** What Bastion measures about one source address in one window. */
public enum IpFeature {
  NEW_CONNECTIONS("new connections"),
  DISTINCT_CLIENT_IDS("distinct client ids"),
  DISTINCT_USERNAMES("distinct usernames"),
  AUTH_FAILURES("failed authentications"),
  HALF_OPEN("connections without CONNECT");

  private final String label;

  IpFeature(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static final int COUNT = values().length;
}

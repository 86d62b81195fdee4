package io.bastion.frontend;

/** Why a connection was ended before its session started; a metric label and a log field. */
public enum Refusal {
  NOT_CONNECT("first-packet-not-connect"),
  INVALID_CONNECT("invalid-connect"),
  CONNECT_TIMEOUT("connect-timeout"),
  BAD_PACKET("bad-packet"),
  PROTOCOL_ERROR("protocol-error"),
  NO_ROUTE("no-route"),
  NO_BROKER("no-broker"),
  CONNECTION_ERROR("connection-error"),
  CONNECTION_LIMIT("connection-limit"),
  CONNECTION_LIMIT_PER_IP("connection-limit-per-ip"),
  CONNECTION_RATE_PER_IP("connection-rate-per-ip"),
  CONNECTION_RATE_PER_SUBNET("connection-rate-per-subnet"),
  BLOCKED("blocked"),
  AUTH_FAILED("auth-failed"),
  /** A guarded username, from a client id and address that never logged in as it. */
  USERNAME_GUARDED("username-guarded"),
  NOT_AUTHORIZED("not-authorized"),
  CLIENT_ID_INVALID("client-id-invalid"),
  ACL_DENIED("acl-denied");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

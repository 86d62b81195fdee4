package io.bastion.mqtt;

/**
 * Why Bastion refuses or ends a connection, with the wire value for each protocol level: the MQTT 5
 * reason code and the MQTT 3.1/3.1.1 CONNACK return code. The 3.1.1 ↔ 5 mapping lives only here.
 */
public enum ReasonCode {
  SUCCESS(0x00, 0x00, "success"),
  NORMAL_DISCONNECTION(0x00, -1, "normal disconnection"),
  UNSPECIFIED_ERROR(0x80, -1, "unspecified error"),
  MALFORMED_PACKET(0x81, -1, "malformed packet"),
  PROTOCOL_ERROR(0x82, -1, "protocol error"),
  IMPLEMENTATION_SPECIFIC_ERROR(0x83, -1, "implementation specific error"),
  UNSUPPORTED_PROTOCOL_VERSION(0x84, 0x01, "unsupported protocol version"),
  CLIENT_IDENTIFIER_NOT_VALID(0x85, 0x02, "client identifier not valid"),
  BAD_USERNAME_OR_PASSWORD(0x86, 0x04, "bad user name or password"),
  NOT_AUTHORIZED(0x87, 0x05, "not authorized"),
  SERVER_UNAVAILABLE(0x88, 0x03, "server unavailable"),
  SERVER_BUSY(0x89, 0x03, "server busy"),
  BANNED(0x8A, 0x05, "banned"),
  SERVER_SHUTTING_DOWN(0x8B, -1, "server shutting down"),
  BAD_AUTHENTICATION_METHOD(0x8C, 0x04, "bad authentication method"),
  KEEP_ALIVE_TIMEOUT(0x8D, -1, "keep alive timeout"),
  SESSION_TAKEN_OVER(0x8E, -1, "session taken over"),
  TOPIC_NAME_INVALID(0x90, -1, "topic name invalid"),
  PACKET_TOO_LARGE(0x95, -1, "packet too large"),
  MESSAGE_RATE_TOO_HIGH(0x96, -1, "message rate too high"),
  QUOTA_EXCEEDED(0x97, -1, "quota exceeded"),
  ADMINISTRATIVE_ACTION(0x98, -1, "administrative action"),
  PAYLOAD_FORMAT_INVALID(0x99, -1, "payload format invalid"),
  USE_ANOTHER_SERVER(0x9C, -1, "use another server"),
  CONNECTION_RATE_EXCEEDED(0x9F, -1, "connection rate exceeded");

  private final int v5;
  private final int v3ConnackCode;
  private final String description;

  ReasonCode(int v5, int v3ConnackCode, String description) {
    this.v5 = v5;
    this.v3ConnackCode = v3ConnackCode;
    this.description = description;
  }

  /** The MQTT 5 reason code byte. */
  public int v5() {
    return v5;
  }

  /**
   * The MQTT 3.1/3.1.1 CONNACK return code, or -1 when those versions have none and the connection
   * is just closed.
   */
  public int v3ConnackCode() {
    return v3ConnackCode;
  }

  /** Lower-case words for logs and events, e.g. "server unavailable". */
  public String description() {
    return description;
  }
}

package io.bastion.frontend;

/** Names of the handlers in a client channel's pipeline, so later steps find them by name. */
public final class HandlerNames {

  public static final String ACCEPT_GUARD = "accept-guard";
  public static final String PROXY_DECODER = "proxy-protocol-decoder";
  public static final String PROXY_PROTOCOL = "proxy-protocol";
  /** The SNI handler, replaced under the same name by the SSL handler it chooses. */
  public static final String TLS = "tls";
  public static final String TLS_HANDSHAKE = "tls-handshake";
  public static final String HTTP_CODEC = "http-codec";
  public static final String HTTP_AGGREGATOR = "http-aggregator";
  public static final String WEBSOCKET_GATE = "websocket-gate";
  public static final String WEBSOCKET = "websocket";
  public static final String WEBSOCKET_MQTT = "websocket-mqtt";
  public static final String FRAME_DECODER = "mqtt-frame-decoder";
  public static final String KEEPALIVE = "keepalive";
  public static final String CONNECT = "connect";
  public static final String RELAY = "relay";

  private HandlerNames() {}
}

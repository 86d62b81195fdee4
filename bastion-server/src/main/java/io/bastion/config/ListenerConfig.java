package io.bastion.config;

import java.time.Duration;

/**
 * One place where clients connect.
 *
 * @param name unique name that rules refer to
 * @param bind address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one (tests)
 * @param connectTimeout how long a new connection may take to send its CONNECT
 * @param maxPacketSize largest MQTT packet accepted from a client, fixed header included
 * @param protocol tcp, tls, ws or wss
 * @param tls certificates and TLS settings; present exactly for tls and wss
 * @param websocket WebSocket settings; present exactly for ws and wss
 * @param proxyProtocol where PROXY protocol headers are accepted from, or null when not used
 */
public record ListenerConfig(
    String name,
    String bind,
    int port,
    Duration connectTimeout,
    int maxPacketSize,
    ListenerProtocol protocol,
    TlsConfig tls,
    WebSocketConfig websocket,
    ProxyProtocolConfig proxyProtocol) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The MQTT maximum: 268,435,455 bytes of remaining length plus a 5-byte fixed header. */
  public static final int MQTT_MAX_PACKET_SIZE = 268_435_460;
  public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;

  /** A plain MQTT-over-TCP listener. */
  public ListenerConfig(
      String name, String bind, int port, Duration connectTimeout, int maxPacketSize) {
    this(name, bind, port, connectTimeout, maxPacketSize, ListenerProtocol.TCP, null, null, null);
  }

  public ListenerConfig withPort(int newPort) {
    return new ListenerConfig(name, bind, newPort, connectTimeout, maxPacketSize, protocol, tls,
        websocket, proxyProtocol);
  }
}

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
 */
public record ListenerConfig(
    String name, String bind, int port, Duration connectTimeout, int maxPacketSize) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The MQTT maximum: 268,435,455 bytes of remaining length plus a 5-byte fixed header. */
  public static final int MQTT_MAX_PACKET_SIZE = 268_435_460;
  public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
}

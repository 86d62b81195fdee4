package io.bastion.config;

import java.util.List;

/**
 * WebSocket settings of a ws or wss listener.
 *
 * @param path the HTTP path of the upgrade request, e.g. {@code /mqtt}
 * @param subprotocols WebSocket subprotocols offered, e.g. mqtt and mqttv3.1
 * @param allowedOrigins Origin header values accepted from browsers; empty accepts any
 * @param maxFrameSize largest WebSocket frame payload accepted
 */
public record WebSocketConfig(
    String path, List<String> subprotocols, List<String> allowedOrigins, int maxFrameSize) {

  public static final String DEFAULT_PATH = "/mqtt";
  public static final List<String> DEFAULT_SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");
  public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
  public static final WebSocketConfig DEFAULT =
      new WebSocketConfig(DEFAULT_PATH, DEFAULT_SUBPROTOCOLS, List.of(), DEFAULT_MAX_FRAME_SIZE);

  public WebSocketConfig {
    subprotocols = List.copyOf(subprotocols);
    allowedOrigins = List.copyOf(allowedOrigins);
  }
}

package io.bastion.config;

import java.util.List;

/** Reads {@code listeners[*].websocket}. */
final class WebSocketSection {

  static final List<String> KEYS = List.of("path", "subprotocols", "allowed-origins", "max-frame-size");

  private WebSocketSection() {}

  static WebSocketConfig read(MappingReader r) {
    if (r == null) {
      return WebSocketConfig.DEFAULT;
    }
    String path = r.value("path", WebSocketConfig.DEFAULT_PATH, "an HTTP path such as /mqtt", text -> {
      if (!text.startsWith("/") || text.contains("?") || text.contains(" ")) {
        throw new IllegalArgumentException("expected an HTTP path starting with /, got '" + text + "'");
      }
      return text;
    });
    List<String> subprotocols = r.has("subprotocols")
        ? r.strings("subprotocols").stream().map(MappingReader.Item::value).toList()
        : WebSocketConfig.DEFAULT_SUBPROTOCOLS;
    List<String> origins = r.strings("allowed-origins").stream().map(MappingReader.Item::value).toList();
    return new WebSocketConfig(path, subprotocols, origins,
        r.size("max-frame-size", WebSocketConfig.DEFAULT_MAX_FRAME_SIZE, 16,
            ListenerConfig.MQTT_MAX_PACKET_SIZE));
  }
}

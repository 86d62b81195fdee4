package io.bastion.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code listeners[*]} and checks names and bound addresses do not collide. */
final class ListenerSection {

  static final List<String> KEYS =
      List.of("name", "bind", "port", "protocol", "connect-timeout", "max-packet-size", "tls",
          "websocket", "proxy-protocol");

  private ListenerSection() {}

  static List<ListenerConfig> read(List<MappingReader> items, Path baseDir, Instant now) {
    List<ListenerConfig> listeners = new ArrayList<>();
    Map<String, MappingReader> byName = new HashMap<>();
    for (MappingReader r : items) {
      String name = r.requiredString("name");
      String bind = r.value("bind", "0.0.0.0", "an IP address", ListenerSection::bindAddress);
      Integer port = r.requiredInteger("port", 0, 65535);
      if (name != null) {
        MappingReader first = byName.putIfAbsent(name, r);
        if (first != null) {
          r.error("name", "duplicate listener name '" + name + "' (first at line "
              + first.line("name") + ")");
        }
      }
      if (port != null && port != 0) {
        checkPortFree(r, name, bind, port, listeners, items);
      }
      ListenerProtocol protocol =
          r.value("protocol", ListenerProtocol.TCP, "tcp, tls, ws or wss", ListenerSection::protocol);
      listeners.add(new ListenerConfig(
          name,
          bind,
          port == null ? 0 : port,
          r.duration("connect-timeout", ListenerConfig.DEFAULT_CONNECT_TIMEOUT, true),
          r.size("max-packet-size", ListenerConfig.DEFAULT_MAX_PACKET_SIZE, 2,
              ListenerConfig.MQTT_MAX_PACKET_SIZE),
          protocol,
          tls(r, protocol, baseDir, now),
          websocket(r, protocol),
          ProxyProtocolSection.read(r.mapping("proxy-protocol", ProxyProtocolSection.KEYS))));
    }
    return listeners;
  }

  private static TlsConfig tls(MappingReader r, ListenerProtocol protocol, Path baseDir, Instant now) {
    MappingReader tls = r.mapping("tls", TlsSection.KEYS);
    if (!protocol.tls()) {
      if (r.has("tls")) {
        r.error("tls", "tls settings need protocol tls or wss (protocol is " + protocol.configName() + ")");
      }
      return null;
    }
    if (tls == null) {
      r.error(r.has("protocol") ? "protocol" : "tls", "protocol " + protocol.configName()
          + " needs a 'tls' mapping with at least one certificate");
      return null;
    }
    return TlsSection.readListener(tls, baseDir, now);
  }

  private static WebSocketConfig websocket(MappingReader r, ListenerProtocol protocol) {
    MappingReader ws = r.mapping("websocket", WebSocketSection.KEYS);
    if (!protocol.websocket()) {
      if (r.has("websocket")) {
        r.error("websocket", "websocket settings need protocol ws or wss (protocol is "
            + protocol.configName() + ")");
      }
      return null;
    }
    return WebSocketSection.read(ws);
  }

  private static ListenerProtocol protocol(String text) {
    ListenerProtocol p = ListenerProtocol.fromConfigName(text.trim());
    if (p == null) {
      throw new IllegalArgumentException("unknown protocol '" + text + "'; valid values: "
          + String.join(", ", Arrays.stream(ListenerProtocol.values())
              .map(ListenerProtocol::configName).toList()));
    }
    return p;
  }

  private static String bindAddress(String text) {
    String bind = text.trim();
    if (!bind.equals("localhost") && !IpLiterals.isIpLiteral(bind)) {
      throw new IllegalArgumentException("expected an IP address such as 0.0.0.0, 127.0.0.1 or ::, "
          + "or localhost, got '" + text + "'");
    }
    return bind;
  }

  /**
   * A wildcard bind (0.0.0.0, ::) takes the port on every address, so it collides with any other
   * listener on the same port, as the operating system would refuse it at startup.
   */
  private static void checkPortFree(MappingReader r, String name, String bind, int port,
      List<ListenerConfig> earlier, List<MappingReader> items) {
    for (int i = 0; i < earlier.size(); i++) {
      ListenerConfig other = earlier.get(i);
      if (other.port() == port && other.bind() != null && bind != null
          && (other.bind().equals(bind) || isWildcard(other.bind()) || isWildcard(bind))) {
        String otherName = other.name() != null ? "'" + other.name() + "'" : items.get(i).path();
        r.error("port", "port " + port + " already used by listener " + otherName
            + (other.bind().equals(bind) ? "" : " (bound to " + other.bind() + ")"));
        return;
      }
    }
  }

  private static boolean isWildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.matches("(0{1,4}:){7}0{1,4}");
  }
}

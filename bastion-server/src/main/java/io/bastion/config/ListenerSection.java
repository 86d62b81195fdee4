package io.bastion.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code listeners[*]} and checks names and bound addresses do not collide. */
final class ListenerSection {

  static final List<String> KEYS =
      List.of("name", "bind", "port", "connect-timeout", "max-packet-size");

  private ListenerSection() {}

  static List<ListenerConfig> read(List<MappingReader> items) {
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
      listeners.add(new ListenerConfig(
          name,
          bind,
          port == null ? 0 : port,
          r.duration("connect-timeout", ListenerConfig.DEFAULT_CONNECT_TIMEOUT, true),
          r.size("max-packet-size", ListenerConfig.DEFAULT_MAX_PACKET_SIZE, 2,
              ListenerConfig.MQTT_MAX_PACKET_SIZE)));
    }
    return listeners;
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

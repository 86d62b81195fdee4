package io.bastion.config;

import java.util.List;
import java.util.function.Function;

/** Reads {@code admin}. */
final class AdminSection {

  static final List<String> KEYS = List.of("enabled", "bind", "port", "token", "drain-rate");
  /** Read when the file names no token, so secrets can stay out of the file. */
  static final String TOKEN_ENV = "BASTION_ADMIN_TOKEN";

  private AdminSection() {}

  static AdminConfig read(MappingReader r, Function<String, String> env, List<ListenerConfig> listeners) {
    String envToken = blankToNull(env.apply(TOKEN_ENV));
    if (r == null) {
      return new AdminConfig(true, AdminConfig.DEFAULT.bind(), AdminConfig.DEFAULT_PORT, envToken,
          AdminConfig.DEFAULT_DRAIN_RATE);
    }
    boolean enabled = r.bool("enabled", true);
    String bind = r.string("bind", AdminConfig.DEFAULT.bind());
    if (bind != null && !bind.equals("localhost") && !IpLiterals.isIpLiteral(bind)) {
      r.error("bind", "'" + bind + "' is not an IP address or 'localhost'");
    }
    int port = r.integer("port", AdminConfig.DEFAULT_PORT, 0, 65535);
    String token = blankToNull(r.string("token", null));
    if (token == null) {
      token = envToken;
    }
    double rate = r.decimal("drain-rate", AdminConfig.DEFAULT_DRAIN_RATE);
    if (!(rate > 0)) {
      r.error("drain-rate", "must be a positive number of sessions per second");
    }
    if (enabled && token == null && bind != null && !isLoopback(bind)) {
      r.error("bind", "the admin API binds to " + bind + " without a token; set admin.token (or "
          + TOKEN_ENV + ") or bind it to 127.0.0.1");
    }
    if (enabled && port != 0) {
      for (ListenerConfig l : listeners) {
        if (l != null && l.port() == port) {
          r.error("port", "port " + port + " already used by listener '" + l.name() + "'");
        }
      }
    }
    return new AdminConfig(enabled, bind, port, token, rate);
  }

  static boolean isLoopback(String bind) {
    return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

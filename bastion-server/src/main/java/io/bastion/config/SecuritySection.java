package io.bastion.config;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code security} and its parts. */
final class SecuritySection {

  static final List<String> KEYS =
      List.of("connections", "blocklist", "allowlist", "auth", "acl", "clients");
  static final List<String> CONNECTION_KEYS = List.of("max", "max-per-ip", "rate-per-ip",
      "burst-per-ip", "rate-per-subnet", "burst-per-subnet");
  static final List<String> ENTRY_KEYS =
      List.of("ip", "client-id", "username", "certificate", "reason", "expires");
  static final List<String> AUTH_KEYS = List.of("listeners", "password-file", "jwt",
      "certificates", "failure-delay", "max-failure-delay");
  static final List<String> JWT_KEYS = List.of("hmac-secret", "public-key", "jwks", "issuer",
      "audience", "username-claim", "groups-claim");
  static final List<String> ACL_KEYS = List.of("on-denied-publish", "rules");
  static final List<String> ACL_RULE_KEYS =
      List.of("user", "group", "certificate", "publish", "subscribe");
  static final List<String> CLIENT_KEYS = List.of("publish-rate", "publish-bandwidth",
      "on-excess", "max-subscriptions", "broad-wildcards", "max-client-id-length",
      "client-id-pattern");

  private SecuritySection() {}

  static SecurityConfig read(MappingReader r, List<ListenerConfig> listeners, Path baseDir) {
    if (r == null) {
      return SecurityConfig.DEFAULT;
    }
    return new SecurityConfig(
        connections(r.mapping("connections", CONNECTION_KEYS)),
        entries(r.mappings("blocklist", ENTRY_KEYS, false)),
        entries(r.mappings("allowlist", ENTRY_KEYS, false)),
        auth(r.mapping("auth", AUTH_KEYS), listeners, baseDir),
        acl(r.mapping("acl", ACL_KEYS)),
        clients(r.mapping("clients", CLIENT_KEYS)));
  }

  private static ConnectionLimitsConfig connections(MappingReader r) {
    if (r == null) {
      return ConnectionLimitsConfig.UNLIMITED;
    }
    return new ConnectionLimitsConfig(
        r.integer("max", 0, 0, Integer.MAX_VALUE),
        r.integer("max-per-ip", 0, 0, Integer.MAX_VALUE),
        rate(r, "rate-per-ip", "burst-per-ip"),
        rate(r, "rate-per-subnet", "burst-per-subnet"));
  }

  /** A rate with its burst; the burst defaults to one second's worth (at least 1). */
  private static RateConfig rate(MappingReader r, String rateKey, String burstKey) {
    double rate = nonNegative(r, rateKey, r.decimal(rateKey, 0));
    double burst = r.has(burstKey) ? r.integer(burstKey, 1, 1, Integer.MAX_VALUE) : Math.max(1, rate);
    if (r.has(burstKey) && rate == 0) {
      r.error(burstKey, "'" + burstKey + "' needs '" + rateKey + "'");
    }
    return rate == 0 ? RateConfig.OFF : new RateConfig(rate, burst);
  }

  private static double nonNegative(MappingReader r, String key, double value) {
    if (value < 0) {
      r.error(key, "must not be negative, got " + value);
      return 0;
    }
    return value;
  }

  private static List<AccessEntryConfig> entries(List<MappingReader> items) {
    List<AccessEntryConfig> entries = new ArrayList<>();
    for (MappingReader r : items) {
      List<AccessEntryConfig.Kind> given = new ArrayList<>();
      for (AccessEntryConfig.Kind k : AccessEntryConfig.Kind.values()) {
        if (r.has(k.key())) {
          given.add(k);
        }
      }
      if (given.size() != 1) {
        r.error(given.isEmpty() ? "ip" : given.get(1).key(), "an entry names exactly one of ip, "
            + "client-id, username, certificate; got " + (given.isEmpty() ? "none" : given.size()));
        continue;
      }
      AccessEntryConfig.Kind kind = given.get(0);
      String value = switch (kind) {
        case IP -> r.requiredValue("ip", "an IP address or CIDR", SecuritySection::cidr);
        case CERTIFICATE -> r.requiredValue("certificate", "a SHA-256 fingerprint in hex",
            SecuritySection::fingerprint);
        default -> r.requiredString(kind.key());
      };
      Instant expires = r.value("expires", null, "a time such as 2030-01-01T00:00:00Z", text -> {
        try {
          return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("expected a time such as 2030-01-01T00:00:00Z, got '" + text + "'");
        }
      });
      if (value != null) {
        entries.add(new AccessEntryConfig(kind, value, r.string("reason", "configured"), expires));
      }
    }
    return entries;
  }

  private static String cidr(String text) {
    Cidr c = Cidr.parse(text);
    if (c.hasHostBits()) {
      throw new IllegalArgumentException("'" + text + "' has bits set beyond the prefix length; "
          + "did you mean a network address?");
    }
    return text.trim();
  }

  static String fingerprint(String text) {
    String hex = text.trim().replace(":", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("expected 64 hex digits (SHA-256, colons allowed), got '" + text + "'");
    }
    return hex;
  }

  private static AuthConfig auth(MappingReader r, List<ListenerConfig> listeners, Path baseDir) {
    if (r == null) {
      return AuthConfig.OFF;
    }
    List<String> names = listeners.stream().map(ListenerConfig::name)
        .filter(java.util.Objects::nonNull).toList();
    Map<String, AuthMode> modes = new LinkedHashMap<>();
    MappingReader lr = r.mapping("listeners", names);
    if (lr != null) {
      for (String name : names) {
        AuthMode mode = lr.value(name, null, "off, optional or required",
            text -> parseEnum(AuthMode.class, text, "off, optional or required"));
        if (mode != null) {
          modes.put(name, mode);
        }
      }
    }
    Path passwordFile = r.value("password-file", null, "a file path", text -> file(baseDir, text));
    JwtConfig jwt = jwt(r.mapping("jwt", JWT_KEYS), baseDir);
    AuthConfig.CertificateIdentity certs = r.value("certificates", AuthConfig.CertificateIdentity.OFF,
        "off, cn or san", text -> parseEnum(AuthConfig.CertificateIdentity.class, text, "off, cn or san"));
    boolean anyOn = modes.values().stream().anyMatch(m -> m != AuthMode.OFF);
    if (anyOn && passwordFile == null && jwt == null && certs == AuthConfig.CertificateIdentity.OFF) {
      r.error("listeners", "authentication is on but no method is configured: set password-file, "
          + "jwt or certificates");
    }
    var delay = r.duration("failure-delay", AuthConfig.DEFAULT_FAILURE_DELAY, false);
    var maxDelay = r.duration("max-failure-delay", AuthConfig.DEFAULT_MAX_FAILURE_DELAY, false);
    if (maxDelay.compareTo(delay) < 0) {
      r.error("max-failure-delay", "must be at least failure-delay (" + delay + ")");
    }
    return new AuthConfig(modes, passwordFile, jwt, certs, delay, maxDelay);
  }

  /** A path as written, resolved against the configuration file's folder when relative. */
  private static Path file(Path baseDir, String text) {
    Path p = Path.of(text.trim());
    return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p).normalize();
  }

  private static JwtConfig jwt(MappingReader r, Path baseDir) {
    if (r == null) {
      return null;
    }
    String secret = r.string("hmac-secret", null);
    if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      r.error("hmac-secret", "an HS256 secret needs at least 32 bytes");
    }
    Path pem = r.value("public-key", null, "a file path", text -> file(baseDir, text));
    Path jwks = r.value("jwks", null, "a file path", text -> file(baseDir, text));
    if (secret == null && pem == null && jwks == null) {
      r.error("hmac-secret", "jwt needs a key: hmac-secret, public-key or jwks");
    }
    return new JwtConfig(secret, pem, jwks, r.string("issuer", null), r.string("audience", null),
        r.string("username-claim", "sub"), r.string("groups-claim", "groups"));
  }

  private static AclConfig acl(MappingReader r) {
    if (r == null) {
      return AclConfig.NONE;
    }
    AclConfig.OnDenied onDenied = r.value("on-denied-publish", AclConfig.OnDenied.DROP,
        "drop or disconnect", text -> parseEnum(AclConfig.OnDenied.class, text, "drop or disconnect"));
    List<AclRuleConfig> rules = new ArrayList<>();
    for (MappingReader rr : r.mappings("rules", ACL_RULE_KEYS, false)) {
      int named = (rr.has("user") ? 1 : 0) + (rr.has("group") ? 1 : 0) + (rr.has("certificate") ? 1 : 0);
      if (named > 1) {
        rr.error("user", "a rule names at most one of user, group, certificate");
      }
      rules.add(new AclRuleConfig(rr.string("user", null), rr.string("group", null),
          rr.string("certificate", null), filters(rr, "publish"), filters(rr, "subscribe")));
    }
    return new AclConfig(onDenied, rules);
  }

  private static List<String> filters(MappingReader r, String key) {
    List<String> out = new ArrayList<>();
    for (MappingReader.Item item : r.strings(key)) {
      String problem = topicFilterProblem(item.value());
      if (problem != null) {
        r.error(item, problem);
      } else {
        out.add(item.value());
      }
    }
    return out;
  }

  /** Why a topic filter is malformed, or null; {@code %u} and {@code %c} count as text. */
  static String topicFilterProblem(String filter) {
    return io.bastion.mqtt.TopicFilter.problem(filter);
  }

  private static ClientLimitsConfig clients(MappingReader r) {
    if (r == null) {
      return ClientLimitsConfig.UNLIMITED;
    }
    double msgRate = nonNegative(r, "publish-rate", r.decimal("publish-rate", 0));
    int bandwidth = r.size("publish-bandwidth", 0, 0, Integer.MAX_VALUE);
    ClientLimitsConfig.OnExcess onExcess = r.value("on-excess", ClientLimitsConfig.OnExcess.PAUSE,
        "pause or disconnect", text -> parseEnum(ClientLimitsConfig.OnExcess.class, text, "pause or disconnect"));
    List<String> broad = r.has("broad-wildcards")
        ? r.strings("broad-wildcards").stream().map(MappingReader.Item::value).toList()
        : null;
    String pattern = r.value("client-id-pattern", null, "a regular expression", text -> {
      try {
        Pattern.compile(text);
        return text;
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid regular expression: " + e.getDescription() + " in '" + text + "'");
      }
    });
    return new ClientLimitsConfig(
        msgRate == 0 ? RateConfig.OFF : new RateConfig(msgRate, Math.max(1, msgRate)),
        bandwidth == 0 ? RateConfig.OFF : new RateConfig(bandwidth, bandwidth),
        onExcess,
        r.integer("max-subscriptions", 0, 0, Integer.MAX_VALUE),
        broad,
        r.integer("max-client-id-length", 0, 0, 65535),
        pattern);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String expected) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected " + expected + ", got '" + text + "'");
    }
  }
}

package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code detection}: window, cohorts, rule detectors, responses and the anomaly model. */
final class DetectionSection {

  static final List<String> KEYS = List.of("enabled", "window", "cohorts", "rules", "response", "model");
  static final List<String> COHORT_KEYS = List.of("name", "listener", "client-id", "username-prefix",
      "certificate-ou");
  static final List<String> RESPONSE_KEYS = List.of("block-ttl", "max-block-ttl", "offence-memory",
      "throttle-rate");
  static final List<String> MODEL_KEYS = List.of("enabled", "mode", "trees", "sample-size",
      "warm-up-windows", "votes", "vote-windows", "checkpoint-dir", "checkpoint-interval");
  private static final List<String> RULE_COMMON_KEYS = List.of("enabled", "mode", "action");

  private DetectionSection() {}

  static DetectionConfig read(MappingReader r, List<ListenerConfig> listeners, Path baseDir) {
    if (r == null) {
      return DetectionConfig.DEFAULT;
    }
    DetectionConfig d = DetectionConfig.DEFAULT;
    boolean enabled = r.bool("enabled", d.enabled());
    Duration window = r.duration("window", d.window(), true);
    if (r.has("window") && window.compareTo(Duration.ofSeconds(1)) < 0) {
      r.error("window", "must be at least 1s (rates are measured over a second), got " + Units.format(window));
    }
    List<CohortConfig> cohorts = cohorts(r.mappings("cohorts", COHORT_KEYS, false), listeners);
    Map<String, DetectorConfig> rules = rules(r.mapping("rules", DetectorCatalog.names()));
    ResponseConfig response = response(r.mapping("response", RESPONSE_KEYS));
    ModelConfig model = model(r.mapping("model", MODEL_KEYS), baseDir);
    return new DetectionConfig(enabled, window, model, cohorts, rules, response);
  }

  private static List<CohortConfig> cohorts(List<MappingReader> items, List<ListenerConfig> listeners) {
    List<CohortConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (MappingReader c : items) {
      String name = c.requiredString("name");
      if (name != null && !names.add(name)) {
        c.error("name", "duplicate cohort name '" + name + "'");
      }
      String listener = c.string("listener", null);
      if (listener != null && listeners.stream().noneMatch(l -> l.name().equals(listener))) {
        c.error("listener", "no listener named '" + listener + "'");
      }
      String clientId = c.string("client-id", null);
      String prefix = c.string("username-prefix", null);
      String ou = c.string("certificate-ou", null);
      if (listener == null && clientId == null && prefix == null && ou == null) {
        c.error("name", "cohort '" + name + "' needs at least one of listener, client-id, username-prefix, certificate-ou");
      }
      out.add(new CohortConfig(name == null ? "?" : name, listener, clientId, prefix, ou));
    }
    return out;
  }

  private static Map<String, DetectorConfig> rules(MappingReader r) {
    Map<String, DetectorConfig> out = DetectorCatalog.defaults();
    if (r == null) {
      return out;
    }
    for (DetectorCatalog.Entry e : DetectorCatalog.ENTRIES) {
      List<String> keys = new ArrayList<>(RULE_COMMON_KEYS);
      e.limits().forEach(l -> keys.add(l.key()));
      if (e.name().equals(DetectorCatalog.WILDCARD_SCAN)) {
        keys.add("allowed");
      }
      MappingReader m = r.mapping(e.name(), keys);
      if (m != null) {
        out.put(e.name(), rule(m, e));
      }
    }
    return out;
  }

  private static DetectorConfig rule(MappingReader m, DetectorCatalog.Entry e) {
    boolean enabled = m.bool("enabled", true);
    DetectionMode mode = m.value("mode", e.mode(), "observe or enforce", DetectionSection::mode);
    DetectorAction action = m.value("action", e.action(), "throttle, deny, guard or block", DetectionSection::action);
    if (action == DetectorAction.GUARD && !DetectorCatalog.USERNAME_RULES.contains(e.name())) {
      m.error("action", "guard applies to rules about a username only ("
          + String.join(", ", DetectorCatalog.USERNAME_RULES) + "); " + e.name() + " needs throttle, deny or block");
    }
    Map<String, Double> limits = new LinkedHashMap<>();
    for (DetectorCatalog.Limit l : e.limits()) {
      double v;
      if (l.key().equals(DetectorCatalog.HORIZON)) {
        v = m.duration(l.key(), Duration.ofSeconds((long) l.fallback()), true).toMillis() / 1000.0;
        if (v < l.min()) {
          m.error(l.key(), "must be at least " + trim(l.min()) + "s, got " + trim(v) + "s");
        }
      } else if (l.key().endsWith("bytes-per-second")) {
        v = m.size(l.key(), (int) l.fallback(), (int) l.min(), Integer.MAX_VALUE);
      } else {
        v = m.value(l.key(), l.fallback(), "a number", atLeast(l.min()));
      }
      limits.put(l.key(), v);
    }
    if (e.name().equals(DetectorCatalog.BRUTE_FORCE_SLOW)
        && limits.get("max-failures") >= DetectorCatalog.MAX_REMEMBERED_FAILURES) {
      m.error("max-failures", "must be below " + DetectorCatalog.MAX_REMEMBERED_FAILURES
          + " (the failed logins remembered per username), got " + trim(limits.get("max-failures")));
    }
    List<String> allowed = new ArrayList<>();
    if (e.name().equals(DetectorCatalog.WILDCARD_SCAN)) {
      m.strings("allowed").forEach(i -> allowed.add(i.value()));
    }
    return new DetectorConfig(e.name(), enabled, mode, action, limits, allowed);
  }

  private static Function<String, Double> atLeast(double min) {
    return text -> {
      double v;
      try {
        v = Double.parseDouble(text.trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("expected a number, got '" + text + "'");
      }
      if (!Double.isFinite(v) || v < min) {
        throw new IllegalArgumentException("must be at least " + trim(min) + ", got " + text.trim());
      }
      return v;
    };
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  static DetectionMode mode(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "observe" -> DetectionMode.OBSERVE;
      case "enforce" -> DetectionMode.ENFORCE;
      default -> throw new IllegalArgumentException("expected observe or enforce, got '" + text + "'");
    };
  }

  static DetectorAction action(String text) {
    for (DetectorAction a : DetectorAction.values()) {
      if (a.key().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("expected throttle, deny, guard or block, got '" + text + "'");
  }

  private static ResponseConfig response(MappingReader r) {
    ResponseConfig d = ResponseConfig.DEFAULT;
    if (r == null) {
      return d;
    }
    Duration ttl = r.duration("block-ttl", d.blockTtl(), true);
    Duration max = r.duration("max-block-ttl", d.maxBlockTtl(), true);
    if (max.compareTo(ttl) < 0) {
      r.error(r.has("max-block-ttl") ? "max-block-ttl" : "block-ttl", "max-block-ttl ("
          + Units.format(max) + ") must not be shorter than block-ttl (" + Units.format(ttl) + ")");
    }
    return new ResponseConfig(ttl, max, r.duration("offence-memory", d.offenceMemory(), true),
        r.integer("throttle-rate", d.throttleRate(), 1, 1_000_000));
  }

  private static ModelConfig model(MappingReader r, Path baseDir) {
    ModelConfig d = ModelConfig.defaults();
    if (r == null) {
      return d;
    }
    int voteWindows = r.integer("vote-windows", d.voteWindows(), 1, 100);
    int votes = r.integer("votes", d.votes(), 1, 100);
    if (votes > voteWindows) {
      r.error("votes", "votes (" + votes + ") cannot exceed vote-windows (" + voteWindows + ")");
    }
    String dir = r.string("checkpoint-dir", null);
    return new ModelConfig(
        r.bool("enabled", d.enabled()),
        r.value("mode", d.mode(), "observe or enforce", DetectionSection::mode),
        r.integer("trees", d.trees(), 1, 1000),
        r.integer("sample-size", d.sampleSize(), 4, 65_536),
        r.integer("warm-up-windows", d.warmUpWindows(), 1, 1_000_000),
        votes,
        voteWindows,
        dir == null ? null : baseDir.resolve(dir).normalize(),
        r.duration("checkpoint-interval", d.checkpointInterval(), true));
  }
}

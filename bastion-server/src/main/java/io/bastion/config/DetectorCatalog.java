package io.bastion.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rule detector Bastion has, with its default mode, action and thresholds. The one place
 * the defaults live: the config reader validates against it and the rules read what it fills in.
 * Counts are "per window" ({@code detection.window}, 10 s by default), estimated over a sliding
 * window; rates are per second, measured every second (a count already past a per-second limit
 * within less than a second counts at once).
 */
public final class DetectorCatalog {

  /** A threshold key with its default and the smallest value allowed. */
  public record Limit(String key, double fallback, double min, String meaning) {}

  /** A detector's defaults. */
  public record Entry(String name, DetectionMode mode, DetectorAction action, List<Limit> limits,
      String meaning) {}

  public static final String CONNECT_FLOOD = "connect-flood";
  public static final String CLIENT_ID_CHURN = "client-id-churn";
  public static final String PUBLISH_FLOOD = "publish-flood";
  public static final String BRUTE_FORCE_IP = "brute-force-ip";
  public static final String BRUTE_FORCE_USER = "brute-force-user";
  public static final String BRUTE_FORCE_DISTRIBUTED = "brute-force-distributed";
  public static final String BRUTE_FORCE_SLOW = "brute-force-slow";
  /** The limit key read as a duration ({@code horizon: 10m}) and kept in seconds. */
  public static final String HORIZON = "horizon";
  public static final String MALFORMED = "malformed";
  public static final String SLOWITE = "slowite";
  public static final String SLOWLORIS = "slowloris";
  public static final String WILDCARD_SCAN = "wildcard-scan";
  public static final String TOPIC_ENUMERATION = "topic-enumeration";
  public static final String TAKEOVER_PING_PONG = "takeover-ping-pong";
  public static final String SLOW_SUBSCRIBER = "slow-subscriber";

  /** Failed logins remembered per username for {@link #BRUTE_FORCE_SLOW}; bounds its max-failures. */
  public static final int MAX_REMEMBERED_FAILURES = 8;
  /** Rules whose findings are about a username, the only ones {@link DetectorAction#GUARD} fits. */
  public static final List<String> USERNAME_RULES = List.of(BRUTE_FORCE_USER, BRUTE_FORCE_DISTRIBUTED, BRUTE_FORCE_SLOW);

  private static final DetectionMode E = DetectionMode.ENFORCE;
  private static final DetectionMode O = DetectionMode.OBSERVE;

  public static final List<Entry> ENTRIES = List.of(
      new Entry(CONNECT_FLOOD, E, DetectorAction.BLOCK, List.of(
          new Limit("max-connects", 1000, 1, "new connections from one address per window")),
          "one address opens connections faster than any device fleet behind it would"),
      new Entry(CLIENT_ID_CHURN, E, DetectorAction.BLOCK, List.of(
          new Limit("max-client-ids", 1000, 1, "distinct client ids from one address per window")),
          "one address cycles through client ids (evading per-client limits, id guessing)"),
      new Entry(PUBLISH_FLOOD, E, DetectorAction.THROTTLE, List.of(
          new Limit("max-messages-per-second", 10_000, 1, "PUBLISH packets of one client per second"),
          new Limit("max-bytes-per-second", 10 * 1024 * 1024, 1, "bytes sent by one client per second")),
          "one client publishes at a rate no device needs"),
      new Entry(BRUTE_FORCE_IP, E, DetectorAction.BLOCK, List.of(
          new Limit("max-failures", 20, 1, "failed logins from one address per window")),
          "password guessing from one address"),
      new Entry(BRUTE_FORCE_USER, E, DetectorAction.BLOCK, List.of(
          new Limit("max-failures", 30, 1, "failed logins for one username per window")),
          "password guessing against one username (blocked, its owner too; action: guard spares the owner)"),
      new Entry(BRUTE_FORCE_DISTRIBUTED, E, DetectorAction.BLOCK, List.of(
          new Limit("min-addresses", 5, 2, "distinct addresses failing for one username per window"),
          new Limit("max-failures", 10, 1, "failed logins for that username per window")),
          "many addresses guessing one username's password (blocked, its owner too; action: guard spares the owner)"),
      new Entry(BRUTE_FORCE_SLOW, E, DetectorAction.GUARD, List.of(
          new Limit(HORIZON, 600, 1, "how far back failed logins for one username are remembered (a duration)"),
          new Limit("max-failures", 2, 1, "failed logins for one username in the horizon above which it fires (at most "
              + (MAX_REMEMBERED_FAILURES - 1) + ")"),
          new Limit("min-client-ids", 3, 1, "distinct client ids among those failures"),
          new Limit("min-addresses", 1, 1, "distinct addresses among those failures")),
          "slow password guessing against one username from fresh client ids (1 a minute and slower)"),
      new Entry(MALFORMED, E, DetectorAction.BLOCK, List.of(
          new Limit("max-malformed", 10, 1, "connections from one address ended by a malformed packet per window")),
          "an address sending broken MQTT (fuzzing, parser attacks)"),
      new Entry(SLOWITE, O, DetectorAction.BLOCK, List.of(
          new Limit("max-keepalive", 3600, 0, "keepalive seconds above which a session counts as suspect (0 counts too)"),
          new Limit("min-idle-seconds", 300, 1, "silence after which a suspect session counts"),
          new Limit("max-sessions", 20, 1, "idle suspect sessions from one address at once"),
          new Limit("burst-sessions", 100, 1,
              "suspect sessions from one address opened in the last window that sent nothing after CONNECT")),
          "SlowITe: sessions with a huge or no keepalive that send nothing, holding broker slots"),
      new Entry(SLOWLORIS, E, DetectorAction.BLOCK, List.of(
          new Limit("max-half-open", 50, 1, "connections from one address without CONNECT at once"),
          new Limit("min-wait-seconds", 1, 0,
              "how long an address must stay above max-half-open (a fleet behind NAT connecting at once sends its CONNECTs within it)"),
          new Limit("max-stuck-seconds", 30, 1, "seconds a session may leave a packet incomplete")),
          "connections that trickle bytes and never finish a packet"),
      new Entry(WILDCARD_SCAN, O, DetectorAction.DENY, List.of(
          new Limit("max-wildcard-filters", 20, 0, "wildcard subscriptions of one client per window (beyond # and $SYS, which always count)")),
          "a client outside the allowed roles subscribes to #, $SYS or many wildcards"),
      new Entry(TOPIC_ENUMERATION, O, DetectorAction.DENY, List.of(
          new Limit("max-new-topics", 500, 1, "publishes to topics the client never used, per window"),
          new Limit("max-filters", 200, 1, "subscription filters of one client per window"),
          new Limit("max-acl-denials", 20, 1, "refused publishes and subscriptions per window")),
          "a client probing the topic tree"),
      new Entry(TAKEOVER_PING_PONG, E, DetectorAction.BLOCK, List.of(
          new Limit("max-takeovers", 5, 1, "session takeovers of one client id per window")),
          "two connections fighting over one client id (cloned device, stolen credentials)"),
      new Entry(SLOW_SUBSCRIBER, O, DetectorAction.BLOCK, List.of(
          new Limit("max-inflight", 5, 1, "QoS 1/2 deliveries the client has not acknowledged"),
          new Limit("min-seconds", 30, 1, "seconds the backlog must last"),
          new Limit("stuck-seconds", 2, 0.25,
              "seconds a subscriber that never completed a delivery may stay silent with one outstanding")),
          "a subscriber that holds QoS 1/2 flows open and never completes them"));

  private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

  static {
    ENTRIES.forEach(e -> BY_NAME.put(e.name(), e));
  }

  private DetectorCatalog() {}

  public static Entry entry(String name) {
    return BY_NAME.get(name);
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** Every detector with its defaults. */
  public static Map<String, DetectorConfig> defaults() {
    Map<String, DetectorConfig> m = new LinkedHashMap<>();
    for (Entry e : ENTRIES) {
      Map<String, Double> limits = new LinkedHashMap<>();
      e.limits().forEach(l -> limits.put(l.key(), l.fallback()));
      m.put(e.name(), new DetectorConfig(e.name(), true, e.mode(), e.action(), limits, List.of()));
    }
    return m;
  }
}

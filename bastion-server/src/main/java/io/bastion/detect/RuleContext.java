package io.bastion.detect;

import io.bastion.config.DetectorConfig;
import io.bastion.detect.Detection.Action;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What rules see on one tick: the tracked sessions, addresses, usernames and client ids, how far
 * the open window has run, and where to report. A rule reports a target at most once per window.
 */
final class RuleContext {

  final long nowMillis;
  final double tickSeconds;
  /** Share of the open window already passed, 0..1 (for sliding counts). */
  final double fraction;
  final long windowMillis;
  final Collection<TrackedClient> clients;
  final Collection<IpCounters> ips;
  final Collection<UserCounters> users;
  final Collection<ClientIdCounters> clientIds;
  private final Consumer<Detection> sink;
  private final Map<String, Long> lastReported;

  RuleContext(long nowMillis, double tickSeconds, double fraction, long windowMillis,
      Collection<TrackedClient> clients, Collection<IpCounters> ips, Collection<UserCounters> users,
      Collection<ClientIdCounters> clientIds, Consumer<Detection> sink, Map<String, Long> lastReported) {
    this.nowMillis = nowMillis;
    this.tickSeconds = tickSeconds;
    this.fraction = fraction;
    this.windowMillis = windowMillis;
    this.clients = clients;
    this.ips = ips;
    this.users = users;
    this.clientIds = clientIds;
    this.sink = sink;
    this.lastReported = lastReported;
  }

  /** For tests: a context over the given state, collecting reports. */
  static RuleContext of(long nowMillis, double fraction, long windowMillis,
      Collection<TrackedClient> clients, Collection<IpCounters> ips, Collection<UserCounters> users,
      Collection<ClientIdCounters> clientIds, Consumer<Detection> sink) {
    return new RuleContext(nowMillis, 1, fraction, windowMillis, clients, ips, users, clientIds, sink,
        new HashMap<>());
  }

  String windowText() {
    long s = windowMillis / 1000;
    return s * 1000 == windowMillis ? s + " s" : windowMillis + " ms";
  }

  /** A horizon in words: "10 min", "30 s", "1500 ms". */
  static String duration(long millis) {
    long s = millis / 1000;
    if (s * 1000 != millis) {
      return millis + " ms";
    }
    return s >= 60 && s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  void client(Rule rule, TrackedClient c, double score, List<String> because) {
    report(rule, "client:" + c.clientId, c.clientId, c.ip, c.cohort, null, score, because);
  }

  void address(Rule rule, String ip, double score, List<String> because) {
    report(rule, "ip:" + ip, null, ip, null, null, score, because);
  }

  /** Returns whether it was reported (not already reported this window). */
  boolean username(Rule rule, String username, double score, List<String> because) {
    return report(rule, "user:" + username, null, null, null, username, score, because);
  }

  boolean report(Rule rule, String target, String clientId, String ip, String cohort,
      String username, double score, List<String> because) {
    String key = rule.name() + '|' + target;
    Long last = lastReported.get(key);
    if (last != null && nowMillis - last < windowMillis) {
      return false;
    }
    lastReported.put(key, nowMillis);
    DetectorConfig c = rule.config;
    Action wanted = !c.enforcing() ? Action.OBSERVE : switch (c.action()) {
      case THROTTLE -> Action.THROTTLE;
      case DENY -> Action.DENY;
      case GUARD -> Action.GUARD;
      case BLOCK -> Action.BLOCK;
    };
    sink.accept(new Detection(Instant.ofEpochMilli(nowMillis), rule.name(), clientId, ip,
        cohort, score, because, wanted, username));
    return true;
  }

  static String count(double v) {
    return String.format(java.util.Locale.ROOT, "%,.0f", v);
  }
}

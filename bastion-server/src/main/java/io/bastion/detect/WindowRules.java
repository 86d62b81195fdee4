package io.bastion.detect;

import static io.bastion.detect.ClientFeature.*;

import io.bastion.config.DetectionConfig;
import io.bastion.config.DetectionMode;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;
import io.bastion.relay.Session;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the rule detectors on closed windows instead of live counters: each window's feature values
 * are written into the counters the rules read (per client, per address, per username, per client
 * id), then every enabled rule is checked once with the window's length as its tick, and what it
 * finds goes to the responder. The rules decide exactly as they do in the engine; only the
 * resolution differs (one check per window, rates averaged over the window).
 *
 * <p>What a window cannot tell and so cannot be replayed: the per-session half of slowloris (it
 * reads the live frame decoder; the per-address count of connections without CONNECT is replayed),
 * and {@code #}-style whole-tree filters apart from other wildcards (counted as wildcards only).
 * Topic-filter counts are estimated from SUBSCRIBE packets and wildcard/{@code $SYS} filters; new
 * topics from the share of never-used topics times distinct topics; acknowledgements from the
 * deliveries sent minus those still unacknowledged.
 */
public final class WindowRules implements WindowSink {

  private final List<Rule> rules;
  private final Responder responder;
  private final WindowClock clock = new WindowClock();
  private final Map<String, TrackedClient> clients = new LinkedHashMap<>();
  private final Map<String, IpCounters> ips = new HashMap<>();
  private final Map<String, UserCounters> users = new HashMap<>();
  private final Map<String, ClientIdCounters> clientIds = new HashMap<>();
  private final Map<String, Long> lastReported = new HashMap<>();
  private final long failureMemoryMillis;

  public WindowRules(DetectionConfig config, Responder responder) {
    this.rules = DetectionEngine.rules(config);
    this.responder = responder;
    this.failureMemoryMillis = DetectionEngine.failureMemoryMillis(config);
  }

  /** The default thresholds and actions, every rule enforcing (as a rules-only deployment runs). */
  public static WindowRules enforcingDefaults(Responder responder) {
    DetectionConfig d = DetectionConfig.DEFAULT;
    Map<String, DetectorConfig> enforcing = new LinkedHashMap<>();
    d.rules().forEach((name, c) -> enforcing.put(name,
        new DetectorConfig(name, c.enabled(), DetectionMode.ENFORCE, c.action(), c.limits(), c.allowed())));
    return new WindowRules(new DetectionConfig(d.enabled(), d.window(), d.model(), d.cohorts(), enforcing,
        d.response()), responder);
  }

  /** Names of the rules replayed. */
  public List<String> ruleNames() {
    return rules.stream().map(Rule::name).toList();
  }

  @Override
  public void accept(List<ClientWindow> windows) {
    if (windows.isEmpty()) {
      return;
    }
    long now = windows.get(0).windowEndMillis();
    long windowMillis = windows.get(0).windowMillis();
    double seconds = Math.max(0.001, windowMillis / 1000.0);
    Set<String> present = new HashSet<>();
    Map<String, Integer> halfOpen = new HashMap<>();
    for (ClientWindow w : windows) {
      IpCounters ip = ips.computeIfAbsent(w.remoteIp(), IpCounters::new);
      replayAddress(w, ip, halfOpen, now);
      if (sessionless(w)) {
        continue;
      }
      present.add(w.clientId());
      replaySession(w, now, seconds);
    }
    for (IpCounters ip : ips.values()) {
      ip.halfOpen.set(halfOpen.getOrDefault(ip.ip, 0));
    }
    for (Map.Entry<String, TrackedClient> e : clients.entrySet()) {
      if (!present.contains(e.getKey())) {
        e.getValue().ended = true;
      }
    }
    RuleContext ctx = new RuleContext(now, seconds, 1, windowMillis, List.copyOf(clients.values()),
        ips.values(), users.values(), clientIds.values(), responder::respond, lastReported);
    for (Rule r : rules) {
      r.check(ctx);
    }
    close(now, windowMillis);
  }

  /** A connection that never held a session: refused logins, broken packets, no CONNECT. */
  private static boolean sessionless(ClientWindow w) {
    boolean traffic = w.get(PUBLISHES_IN) > 0 || w.get(BYTES_IN) > 0 || w.get(SUBSCRIBES) > 0
        || w.get(PINGS) > 0 || w.get(MESSAGES_OUT) > 0 || w.get(INFLIGHT) > 0;
    boolean refused = w.get(AUTH_FAILURES) > 0 || w.get(MALFORMED) > 0 || w.get(STUCK_BYTES) > 0
        || w.get(CONNECT_DELAY) >= w.windowMillis();
    return !traffic && refused;
  }

  private void replayAddress(ClientWindow w, IpCounters ip, Map<String, Integer> halfOpen, long now) {
    long connects = (long) w.get(CONNECTS);
    long failures = (long) w.get(AUTH_FAILURES);
    ip.connections.add(connects);
    ip.authFailures.add(failures);
    ip.malformed.add((long) w.get(MALFORMED));
    if (connects > 0) {
      ip.clientIds.add(w.clientId());
      if (w.username() != null) {
        ip.usernames.add(w.username());
      }
    }
    if (w.get(CONNECT_DELAY) >= w.windowMillis()) {
      halfOpen.merge(ip.ip, 1, Integer::sum); // still no CONNECT when the window closed
    }
    if (failures > 0 && w.username() != null && !w.username().isEmpty()) {
      UserCounters u = users.computeIfAbsent(w.username(), UserCounters::new);
      u.failures.add(failures);
      u.addresses.add(ip.ip);
      // the window's failures all land at its end: that is when the replay learns of them
      for (long i = 0; i < Math.min(failures, DetectorCatalog.MAX_REMEMBERED_FAILURES); i++) {
        u.trail.add(now, w.clientId(), ip.ip);
      }
    }
    if (w.clientId() != null && !w.clientId().isEmpty()) {
      ClientIdCounters id = clientIds.computeIfAbsent(w.clientId(), ClientIdCounters::new);
      id.connects.add(connects);
      id.takeovers.add((long) w.get(TAKEOVERS));
      id.authFailures.add(failures);
      id.malformed.add((long) w.get(MALFORMED));
    }
  }

  private void replaySession(ClientWindow w, long now, double seconds) {
    int keepAlive = (int) w.get(KEEPALIVE);
    int will = (int) w.get(WILL_SIZE);
    TrackedClient c = clients.get(w.clientId());
    if (c == null || c.keepAliveSeconds != keepAlive || c.willSize != will) {
      Session session = new Session(w.clientId(), w.username(), null, 4, w.listener(),
          InetSocketAddress.createUnresolved(w.remoteIp(), 0), null, null, null, null, null);
      c = new TrackedClient(session, new ClientCounters(clock, 4), null, w.cohort(), keepAlive, will,
          (long) w.get(CONNECT_DELAY), w.remoteIp(), now - w.windowMillis());
      clients.put(w.clientId(), c);
    }
    ClientCounters k = c.counters;
    k.snapshot(c.windowStart);
    long publishes = (long) w.get(PUBLISHES_IN);
    long bytes = (long) w.get(BYTES_IN);
    long subscribes = (long) w.get(SUBSCRIBES);
    long wildcards = (long) w.get(WILDCARD_FILTERS);
    long sys = (long) w.get(SYS_FILTERS);
    add(k, ClientCounters.PUBLISHES, publishes);
    add(k, ClientCounters.BYTES_IN, bytes);
    add(k, ClientCounters.SUBSCRIBES, subscribes);
    add(k, ClientCounters.PINGS, (long) w.get(PINGS));
    add(k, ClientCounters.WILDCARD_FILTERS, wildcards);
    add(k, ClientCounters.SYS_FILTERS, sys);
    add(k, ClientCounters.FILTERS, Math.max(subscribes, wildcards + sys));
    add(k, ClientCounters.ACL_DENIALS, (long) w.get(ACL_DENIALS));
    add(k, ClientCounters.NEW_TOPICS, Math.round(w.get(NEW_TOPIC_SHARE) * w.get(DISTINCT_TOPICS)));
    add(k, ClientCounters.MESSAGES_OUT, (long) w.get(MESSAGES_OUT));
    add(k, ClientCounters.QOS_OUT, (long) w.get(MESSAGES_OUT));
    long inflight = (long) w.get(INFLIGHT);
    long acked = k.count(ClientCounters.QOS_OUT) - inflight;
    if (acked > k.count(ClientCounters.ACKS_IN)) {
      k.seed(ClientCounters.ACKS_IN, acked);
    } else {
      // more outstanding than the deliveries seen: they were sent before the first window
      k.seed(ClientCounters.QOS_OUT, k.count(ClientCounters.ACKS_IN) + inflight);
    }
    c.publishRate = (float) (publishes / seconds);
    c.byteRate = (float) (bytes / seconds);
    if (bytes > 0 || publishes > 0 || w.get(PINGS) > 0 || subscribes > 0) {
      c.lastActiveMillis = now;
    }
  }

  private static void add(ClientCounters k, int index, long delta) {
    if (delta > 0) {
      k.seed(index, k.count(index) + delta);
    }
  }

  /** Closes every count's window and forgets what went quiet, as the engine does. */
  private void close(long now, long windowMillis) {
    clients.values().removeIf(c -> c.ended);
    for (Iterator<IpCounters> it = ips.values().iterator(); it.hasNext(); ) {
      IpCounters ip = it.next();
      boolean idle = ip.connections.close() == 0 & ip.authFailures.close() == 0
          & ip.malformed.close() == 0 && ip.halfOpen.get() <= 0;
      ip.previousClientIds = ip.clientIds.takeAndClear();
      ip.previousUsernames = ip.usernames.takeAndClear();
      ip.idleWindows = idle ? ip.idleWindows + 1 : 0;
      if (ip.idleWindows > DetectionEngine.FORGET_AFTER_WINDOWS) {
        it.remove();
      }
    }
    // kept while failures remain in the long horizon, so it spans windows
    users.values().removeIf(u -> u.closeWindow(now, failureMemoryMillis));
    clientIds.values().removeIf(id -> id.closeWindow(clients.containsKey(id.clientId)));
    lastReported.values().removeIf(t -> now - t >= windowMillis);
  }
}

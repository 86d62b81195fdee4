package io.bastion.detect;

import io.bastion.config.DetectionConfig;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.relay.Session;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvents;
import io.bastion.security.UsernameGuards;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intrusion detection of one node. Event loops report connections and sessions through the hook
 * methods (O(1), lock-free) and count packets in each session's {@link ClientCounters}; one
 * detection thread ticks every 250 ms to run the rule detectors, and every window closes the
 * client and address windows and hands them to the registered sinks (the anomaly model).
 *
 * <p>Public surface: {@link #addSink}, {@link #addIpSink}, {@link #responder()}, {@link #log()},
 * {@link #clock()}, {@link #modelWarmUp}, and the hooks the frontend and relay call.
 */
public final class DetectionEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DetectionEngine.class);
  /** Rules are checked this often, so an attacker crossing a limit is met within a quarter second. */
  static final long TICK_MILLIS = 250;
  /** Rates are measured over at least this span, so a burst inside one tick is no flood. */
  static final long RATE_SPAN_MILLIS = 1000;
  /** Addresses, usernames and client ids tracked at once; beyond, new ones are not tracked. */
  static final int MAX_TRACKED_KEYS = 200_000;
  /** Windows an idle address, username or client id is kept before it is forgotten. */
  static final int FORGET_AFTER_WINDOWS = 3;

  private final Clock clock;
  private final WindowClock windows = new WindowClock();
  private final DetectionLog log = new DetectionLog(1000);
  private final GradedResponder responder;
  private final Map<String, IpCounters> ips = new ConcurrentHashMap<>();
  private final Map<String, UserCounters> users = new ConcurrentHashMap<>();
  private final Map<String, ClientIdCounters> clientIds = new ConcurrentHashMap<>();
  private final Queue<TrackedClient> started = new ConcurrentLinkedQueue<>();
  private final List<TrackedClient> clients = new ArrayList<>();
  private volatile List<TrackedClient> clientsView = List.of();
  private final List<WindowSink> sinks = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<IpWindow>>> ipSinks = new CopyOnWriteArrayList<>();
  private final Map<String, Long> lastReported = new java.util.HashMap<>();
  private final long[] scratch = new long[ClientCounters.COUNTS];
  private volatile DetectionConfig config;
  private volatile Cohorts cohorts;
  private volatile List<Rule> rules;
  /** Per-window counts at which an address wakes the detection thread instead of waiting for the tick. */
  private volatile CountBars bars;
  private volatile double modelWarmUp = Double.NaN;
  private final Object lifecycle = new Object();
  private volatile ScheduledExecutorService thread;
  private long windowStartMillis;
  private long lastTickMillis;

  /** An engine whose username guards only it consults (tests, tools). */
  public DetectionEngine(DetectionConfig config, Blocklist blocklist, Blocklist allowlist,
      SecurityEvents events, Clock clock) {
    this(config, blocklist, allowlist, new UsernameGuards(clock), events, clock);
  }

  /**
   * @param guards the node's username guards, which the edge consults on every login
   */
  public DetectionEngine(DetectionConfig config, Blocklist blocklist, Blocklist allowlist,
      UsernameGuards guards, SecurityEvents events, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.cohorts = new Cohorts(config.cohorts());
    this.rules = rules(config);
    this.bars = CountBars.of(config);
    this.responder = new GradedResponder(config.response(), config.window().toMillis(), blocklist,
        allowlist, guards, events, log, clock, () -> clientsView);
    this.windowStartMillis = clock.millis();
    this.lastTickMillis = windowStartMillis;
  }

  /** The rule detectors a configuration enables, in catalogue order. */
  static List<Rule> rules(DetectionConfig config) {
    List<Rule> list = new ArrayList<>();
    for (String name : DetectorCatalog.names()) {
      DetectorConfig c = config.rule(name);
      if (!c.enabled()) {
        continue;
      }
      list.add(create(c));
    }
    return List.copyOf(list);
  }

  private static Rule create(DetectorConfig c) {
    return switch (c.name()) {
      case DetectorCatalog.CONNECT_FLOOD -> new ConnectFloodRule(c);
      case DetectorCatalog.CLIENT_ID_CHURN -> new ClientIdChurnRule(c);
      case DetectorCatalog.PUBLISH_FLOOD -> new PublishFloodRule(c);
      case DetectorCatalog.BRUTE_FORCE_IP -> new BruteForceIpRule(c);
      case DetectorCatalog.BRUTE_FORCE_USER -> new BruteForceUserRule(c);
      case DetectorCatalog.BRUTE_FORCE_DISTRIBUTED -> new DistributedBruteForceRule(c);
      case DetectorCatalog.BRUTE_FORCE_SLOW -> new BruteForceSlowRule(c);
      case DetectorCatalog.MALFORMED -> new MalformedRule(c);
      case DetectorCatalog.SLOWITE -> new SlowiteRule(c);
      case DetectorCatalog.SLOWLORIS -> new SlowlorisRule(c);
      case DetectorCatalog.WILDCARD_SCAN -> new WildcardScanRule(c);
      case DetectorCatalog.TOPIC_ENUMERATION -> new TopicEnumerationRule(c);
      case DetectorCatalog.TAKEOVER_PING_PONG -> new TakeoverPingPongRule(c);
      case DetectorCatalog.SLOW_SUBSCRIBER -> new SlowSubscriberRule(c);
      default -> throw new IllegalArgumentException("no rule detector " + c.name());
    };
  }

  /** Starts the detection thread (a no-op when detection is disabled). */
  public void start() {
    synchronized (lifecycle) {
      if (thread == null && config.enabled()) {
        thread = newThread();
      }
    }
  }

  private ScheduledExecutorService newThread() {
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread named = new Thread(r, "bastion-detect");
      named.setDaemon(true);
      return named;
    });
    t.scheduleWithFixedDelay(this::safeTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return t;
  }

  private void safeTick() {
    try {
      tick(clock.millis());
    } catch (RuntimeException e) {
      // a bug in one tick must not end detection for the node's lifetime
      LOG.error("detection tick failed", e);
    }
  }

  /** Applies a reloaded configuration from the next tick on. */
  public void apply(DetectionConfig next) {
    config = next;
    bars = CountBars.of(next);
    cohorts = new Cohorts(next.cohorts());
    rules = rules(next);
    responder.update(next.response(), next.window().toMillis());
    if (next.enabled()) {
      start();
    }
  }

  public boolean enabled() {
    return config.enabled();
  }

  public DetectionConfig config() {
    return config;
  }

  /** Receives every closed window's client windows on the detection thread. */
  public void addSink(WindowSink sink) {
    sinks.add(sink);
  }

  /** Receives every closed window's address windows on the detection thread. */
  public void addIpSink(Consumer<List<IpWindow>> sink) {
    ipSinks.add(sink);
  }

  /** Acts on detections of the rules and of anyone else (the anomaly model). */
  public GradedResponder responder() {
    return responder;
  }

  public DetectionLog log() {
    return log;
  }

  /** The window counter event loops read (for tests and benchmarks building counters). */
  public WindowClock clock() {
    return windows;
  }

  /** Sessions tracked now (metrics). */
  public int trackedClients() {
    return clientsView.size();
  }

  /** The model reports how far it is warmed up, 0..1 (NaN until it reports). */
  public void modelWarmUp(double fraction) {
    modelWarmUp = fraction;
  }

  public double modelWarmUp() {
    return modelWarmUp;
  }

  /** Usernames with failed logins tracked now (metrics, tests). */
  public int trackedUsernames() {
    return users.size();
  }

  /** Names of the rule detectors running now. */
  public List<String> ruleNames() {
    return rules.stream().map(Rule::name).toList();
  }

  // --- hooks, called on event loops ---

  /** A connection was accepted; returns its address's counters, or null when not tracked. */
  public IpCounters opened(SocketAddress remote) {
    if (!config.enabled()) {
      return null;
    }
    IpCounters ip = track(ips, host(remote), IpCounters::new);
    if (ip != null) {
      ip.connections.increment();
      ip.halfOpen.incrementAndGet();
      if (!ip.woke && ip.connections.current() > bars.connects()) {
        wake(ip);
      }
    }
    return ip;
  }

  /** The connection sent its CONNECT. */
  public void connected(IpCounters ip, String clientId, String username) {
    if (ip == null) {
      return;
    }
    ip.halfOpen.decrementAndGet();
    ip.usernames.add(username);
    ClientIdCounters id = clientId == null || clientId.isEmpty() ? null
        : track(clientIds, clientId, ClientIdCounters::new);
    if (id != null && id.established) {
      ip.returning.increment(); // a known device coming back is no flood and no churn
    } else {
      ip.clientIds.add(clientId);
      if (!ip.woke && ip.clientIdsNow() > bars.clientIds()) {
        wake(ip);
      }
    }
    if (id != null) {
      id.connects.increment();
      if (id.live.get() > 0) {
        id.takeovers.increment(); // its session is open elsewhere: this CONNECT takes it over
      }
    }
  }

  /** The connection closed before its CONNECT arrived. */
  public void closedBeforeConnect(IpCounters ip) {
    if (ip != null) {
      ip.halfOpen.decrementAndGet();
    }
  }

  /** A login failed. */
  public void authFailed(IpCounters ip, String clientId, String username) {
    if (ip == null) {
      return;
    }
    ip.authFailures.increment();
    if (username != null && !username.isEmpty()) {
      UserCounters u = track(users, username, UserCounters::new);
      if (u != null) {
        u.failures.increment();
        u.addresses.add(ip.ip);
        u.trail.add(clock.millis(), clientId, ip.ip);
      }
    }
    ClientIdCounters id = clientId == null || clientId.isEmpty() ? null : clientIds.get(clientId);
    if (id != null) {
      id.authFailures.increment();
    }
  }

  /** A connection ended with a malformed packet. */
  public void malformed(IpCounters ip, String clientId) {
    if (ip == null) {
      return;
    }
    ip.malformed.increment();
    ClientIdCounters id = clientId == null ? null : clientIds.get(clientId);
    if (id != null) {
      id.malformed.increment();
    }
  }

  /**
   * A session started: returns the counters its relay writes, or null when detection is off.
   *
   * @param closed completes when the session's client connection closes
   */
  public ClientCounters sessionStarted(Session session, int keepAliveSeconds, int willSize,
      long connectDelayNanos, List<String> certificateOus, MqttFrameDecoder decoder,
      io.netty.util.concurrent.Future<?> closed) {
    if (!config.enabled()) {
      return null;
    }
    ClientCounters counters = new ClientCounters(windows, session.protocolLevel());
    String ip = host(session.remoteAddress());
    String cohort = cohorts.of(session.listener(), session.clientId(), session.username(), certificateOus);
    TrackedClient c = new TrackedClient(session, counters, decoder, cohort, keepAliveSeconds, willSize,
        connectDelayNanos / 1_000_000, ip, clock.millis());
    counters.restrict(responder.restrictionFor(c.clientId, ip, c.username),
        1_000_000_000L / Math.max(1, config.response().throttleRate()));
    ClientIdCounters id = c.clientId.isEmpty() ? null : clientIds.get(c.clientId);
    counters.address = ips.get(ip);
    counters.clientId = id;
    if (id != null) {
      id.live.incrementAndGet();
    }
    started.add(c);
    closed.addListener(f -> {
      c.ended = true;
      if (id != null) {
        id.live.decrementAndGet();
      }
    });
    return counters;
  }

  /**
   * An address's count in the open window alone has passed a rule's limit: the rules are checked
   * now rather than at the next tick, once per address and window.
   */
  private void wake(IpCounters ip) {
    ip.woke = true;
    ScheduledExecutorService t = thread;
    if (t != null) {
      try {
        t.execute(this::safeTick);
      } catch (RejectedExecutionException closing) {
        // the engine is closing: no more ticks
      }
    }
  }

  private static <T> T track(Map<String, T> map, String key, Function<String, T> create) {
    T t = map.get(key);
    if (t != null || map.size() >= MAX_TRACKED_KEYS) {
      return t;
    }
    return map.computeIfAbsent(key, create);
  }

  static String host(SocketAddress a) {
    return a instanceof InetSocketAddress s && s.getAddress() != null ? s.getAddress().getHostAddress()
        : String.valueOf(a);
  }

  // --- the detection thread ---

  /** Publish and byte rates of every session over the span since the last measurement. */
  private void measureRates(long now, double seconds) {
    for (TrackedClient c : clients) {
      long publishes = c.counters.count(ClientCounters.PUBLISHES);
      long bytes = c.counters.count(ClientCounters.BYTES_IN);
      c.publishRate = (float) ((publishes - c.lastPublishes) / seconds);
      c.byteRate = (float) ((bytes - c.lastBytesIn) / seconds);
      if (bytes != c.lastBytesIn) {
        c.lastActiveMillis = now;
      }
      c.lastPublishes = publishes;
      c.lastBytesIn = bytes;
    }
  }

  /**
   * Between measurements: what a session sent since the last one, less than a second ago, is a
   * floor of its rate over the second ending now. A count already past a per-second limit is a
   * flood without waiting for the second to end; a burst within the allowance still is none.
   */
  private void raiseRatesToCountsSoFar() {
    for (TrackedClient c : clients) {
      long publishes = c.counters.count(ClientCounters.PUBLISHES) - c.lastPublishes;
      long bytes = c.counters.count(ClientCounters.BYTES_IN) - c.lastBytesIn;
      c.publishRate = Math.max(c.publishRate, publishes);
      c.byteRate = Math.max(c.byteRate, bytes);
    }
  }

  /** One tick at {@code now}: rules, then the window close when its time has come. */
  synchronized void tick(long now) {
    DetectionConfig cfg = config;
    for (TrackedClient c; (c = started.poll()) != null; ) {
      clients.add(c); // its counters started at zero, as its window start and last tick did
    }
    clientsView = List.copyOf(clients);
    double seconds = Math.max(0.001, (now - lastTickMillis) / 1000.0);
    boolean rateTick = now - lastTickMillis >= RATE_SPAN_MILLIS;
    if (rateTick) {
      lastTickMillis = now;
      measureRates(now, seconds);
    } else {
      raiseRatesToCountsSoFar();
    }
    long windowMillis = cfg.window().toMillis();
    double fraction = Math.min(1, (now - windowStartMillis) / (double) windowMillis);
    RuleContext ctx = new RuleContext(now, seconds, fraction, windowMillis, clientsView, ips.values(),
        users.values(), clientIds.values(), responder::respond, lastReported);
    for (Rule r : rules) {
      r.check(ctx);
    }
    if (now - windowStartMillis >= windowMillis) {
      closeWindow(now, windowMillis);
    }
    responder.expire(clientsView);
  }

  /** How long failed logins must be remembered per username: the slow rule's horizon, 0 when it is off. */
  static long failureMemoryMillis(DetectionConfig config) {
    DetectorConfig slow = config.rule(DetectorCatalog.BRUTE_FORCE_SLOW);
    return slow.enabled() ? BruteForceSlowRule.horizonMillis(slow) : 0;
  }

  private void closeWindow(long now, long windowMillis) {
    long failureMemory = failureMemoryMillis(config);
    int closed = windows.advance() - 1;
    long length = now - windowStartMillis;
    windowStartMillis = now;
    List<ClientWindow> out = new ArrayList<>(clients.size());
    for (Iterator<TrackedClient> it = clients.iterator(); it.hasNext(); ) {
      TrackedClient c = it.next();
      out.add(window(c, closed, now, length));
      System.arraycopy(scratch, 0, c.windowStart, 0, scratch.length);
      if (c.ended) {
        it.remove();
      }
    }
    clientsView = List.copyOf(clients);
    List<IpWindow> ipOut = new ArrayList<>(ips.size());
    for (Iterator<IpCounters> it = ips.values().iterator(); it.hasNext(); ) {
      IpCounters ip = it.next();
      double[] v = new double[IpFeature.COUNT];
      v[IpFeature.NEW_CONNECTIONS.ordinal()] = ip.connections.close();
      ip.returning.close();
      ip.woke = false;
      v[IpFeature.AUTH_FAILURES.ordinal()] = ip.authFailures.close();
      ip.malformed.close();
      v[IpFeature.DISTINCT_CLIENT_IDS.ordinal()] = ip.previousClientIds = ip.clientIds.takeAndClear();
      v[IpFeature.DISTINCT_USERNAMES.ordinal()] = ip.previousUsernames = ip.usernames.takeAndClear();
      v[IpFeature.HALF_OPEN.ordinal()] = ip.halfOpen.get();
      boolean idle = v[0] == 0 && v[IpFeature.AUTH_FAILURES.ordinal()] == 0 && ip.halfOpen.get() <= 0
          && ip.malformed.previous() == 0;
      ip.idleWindows = idle ? ip.idleWindows + 1 : 0;
      if (!idle) {
        ipOut.add(new IpWindow(ip.ip, now, length, v));
      } else if (ip.idleWindows > FORGET_AFTER_WINDOWS) {
        it.remove(); // a connection opening now re-creates it; a lost count or two is harmless
      }
    }
    users.values().removeIf(u -> u.closeWindow(now, failureMemory));
    for (Iterator<ClientIdCounters> it = clientIds.values().iterator(); it.hasNext(); ) {
      ClientIdCounters id = it.next();
      if (id.live.get() > 0) {
        id.established = true;
      }
      if (id.closeWindow(id.live.get() > 0)) {
        it.remove();
      }
    }
    lastReported.values().removeIf(t -> now - t >= windowMillis);
    for (WindowSink s : sinks) {
      try {
        s.accept(out);
      } catch (RuntimeException e) {
        LOG.error("window sink {} failed", s, e);
      }
    }
    for (Consumer<List<IpWindow>> s : ipSinks) {
      try {
        s.accept(ipOut);
      } catch (RuntimeException e) {
        LOG.error("address window sink {} failed", s, e);
      }
    }
  }

  /** The closed window {@code epoch} of one session; leaves its counts in {@link #scratch}. */
  private ClientWindow window(TrackedClient c, int epoch, long now, long length) {
    long[] cur = scratch;
    c.counters.snapshot(cur);
    long[] s = c.windowStart;
    double[] v = new double[ClientFeature.COUNT];
    long publishes = cur[ClientCounters.PUBLISHES] - s[ClientCounters.PUBLISHES];
    v[ClientFeature.PUBLISHES_IN.ordinal()] = publishes;
    v[ClientFeature.MESSAGES_OUT.ordinal()] = cur[ClientCounters.MESSAGES_OUT] - s[ClientCounters.MESSAGES_OUT];
    v[ClientFeature.SUBSCRIBES.ordinal()] = cur[ClientCounters.SUBSCRIBES] - s[ClientCounters.SUBSCRIBES];
    v[ClientFeature.UNSUBSCRIBES.ordinal()] = cur[ClientCounters.UNSUBSCRIBES] - s[ClientCounters.UNSUBSCRIBES];
    v[ClientFeature.PINGS.ordinal()] = cur[ClientCounters.PINGS] - s[ClientCounters.PINGS];
    v[ClientFeature.OTHER_PACKETS.ordinal()] = cur[ClientCounters.OTHER] - s[ClientCounters.OTHER];
    v[ClientFeature.BYTES_IN.ordinal()] = cur[ClientCounters.BYTES_IN] - s[ClientCounters.BYTES_IN];
    v[ClientFeature.BYTES_OUT.ordinal()] = cur[ClientCounters.BYTES_OUT] - s[ClientCounters.BYTES_OUT];
    double payload = cur[ClientCounters.PAYLOAD_BYTES] - s[ClientCounters.PAYLOAD_BYTES];
    v[ClientFeature.PAYLOAD_MEAN.ordinal()] = publishes == 0 ? 0 : payload / publishes;
    v[ClientFeature.PAYLOAD_MAX.ordinal()] = c.counters.payloadMax(epoch);
    v[ClientFeature.RETAINED_RATIO.ordinal()] =
        publishes == 0 ? 0 : (double) (cur[ClientCounters.RETAINED] - s[ClientCounters.RETAINED]) / publishes;
    v[ClientFeature.QOS2_RATIO.ordinal()] =
        publishes == 0 ? 0 : (double) (cur[ClientCounters.QOS2] - s[ClientCounters.QOS2]) / publishes;
    v[ClientFeature.WILL_SIZE.ordinal()] = c.willSize;
    double distinct = Math.round(c.counters.distinctTopics(epoch));
    v[ClientFeature.DISTINCT_TOPICS.ordinal()] = distinct;
    long fresh = cur[ClientCounters.NEW_TOPICS] - s[ClientCounters.NEW_TOPICS];
    v[ClientFeature.NEW_TOPIC_SHARE.ordinal()] = distinct == 0 ? 0 : Math.min(1, fresh / distinct);
    v[ClientFeature.TOPIC_DEPTH_MAX.ordinal()] = c.counters.depthMax(epoch);
    v[ClientFeature.WILDCARD_FILTERS.ordinal()] =
        cur[ClientCounters.WILDCARD_FILTERS] - s[ClientCounters.WILDCARD_FILTERS];
    v[ClientFeature.SYS_FILTERS.ordinal()] = cur[ClientCounters.SYS_FILTERS] - s[ClientCounters.SYS_FILTERS];
    v[ClientFeature.ACL_DENIALS.ordinal()] = cur[ClientCounters.ACL_DENIALS] - s[ClientCounters.ACL_DENIALS];
    ClientIdCounters id = clientIds.get(c.clientId);
    if (id != null) {
      v[ClientFeature.CONNECTS.ordinal()] = id.connects.current();
      v[ClientFeature.TAKEOVERS.ordinal()] = id.takeovers.current();
      v[ClientFeature.AUTH_FAILURES.ordinal()] = id.authFailures.current();
      v[ClientFeature.MALFORMED.ordinal()] = id.malformed.current();
    }
    v[ClientFeature.KEEPALIVE.ordinal()] = c.keepAliveSeconds;
    v[ClientFeature.IDLE_RATIO.ordinal()] =
        c.keepAliveSeconds == 0 ? 0 : c.idleMillis(now) / (c.keepAliveSeconds * 1000.0);
    v[ClientFeature.CONNECT_DELAY.ordinal()] = c.connectDelayMillis;
    if (c.decoder != null) {
      long since = c.decoder.incompleteSinceNanos();
      if (since != 0) {
        v[ClientFeature.STUCK_BYTES.ordinal()] = c.decoder.incompleteBytes();
        v[ClientFeature.STUCK_MILLIS.ordinal()] = (System.nanoTime() - since) / 1e6;
      }
    }
    v[ClientFeature.INFLIGHT.ordinal()] = c.counters.inflight();
    return new ClientWindow(c.clientId, c.ip, c.listener, c.username, c.cohort, now, length, v);
  }

  /** Tracked sessions (detection thread view, refreshed every tick). */
  Collection<TrackedClient> clients() {
    return clientsView;
  }

  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (lifecycle) {
      t = thread;
      thread = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

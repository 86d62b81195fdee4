package io.bastion.detect;

import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.ResponseConfig;
import io.bastion.detect.Detection.Action;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.Blocklist;
import io.bastion.security.SecurityEvent;
import io.bastion.security.SecurityEvents;
import io.bastion.security.UsernameGuards;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on detections, graded: observe (log only) → throttle → deny publish/subscribe → disconnect
 * and block. An enforcing detector asks for one of these; a target that offends again while still
 * restricted goes one step up. Blocks go through the security blocklist with a time that doubles on
 * each repeat offence up to a cap. The allowlist is never acted on. MQTT 5 clients hear 0x96 when
 * ended for a flood, 0x98 otherwise; the blocklist answers their next CONNECT with 0x8A (3.1.1: 5).
 *
 * <p>A username rule may ask to guard its username instead: for the block time (doubling on a
 * repeat once a guard ran out), logins for it are refused unless they come from a client id and
 * address that logged in as it before, so the device owning the username is not locked out. A
 * detection while the guard holds renews it without doubling.
 */
public final class GradedResponder implements Responder {

  private static final Logger LOG = LoggerFactory.getLogger(GradedResponder.class);
  public static final String SOURCE_PREFIX = "detect:";

  /** What a detection is about. */
  public record Target(Kind kind, String value) {

    static Target of(Detection d) {
      if (d.clientId() != null) {
        return new Target(Kind.CLIENT_ID, d.clientId());
      }
      if (d.username() != null) {
        return new Target(Kind.USERNAME, d.username());
      }
      return new Target(Kind.IP, d.remoteIp());
    }

    boolean matches(TrackedClient c) {
      return switch (kind) {
        case CLIENT_ID -> value.equals(c.clientId);
        case IP -> value.equals(c.ip);
        case USERNAME -> value.equals(c.username);
        case CERTIFICATE -> c.identity != null && value.equals(c.identity.certificateFingerprint());
      };
    }
  }

  private static final class Offence {
    Action level = Action.OBSERVE;
    long untilMillis;
    int blocks;
    long lastMillis;
  }

  private final Blocklist blocklist;
  private final Blocklist allowlist;
  private final UsernameGuards guards;
  private final SecurityEvents events;
  private final DetectionLog log;
  private final Clock clock;
  private final Supplier<Collection<TrackedClient>> clients;
  private final Map<Target, Offence> offences = new ConcurrentHashMap<>();
  private final Map<String, Long> flaggedUntil = new ConcurrentHashMap<>();
  private volatile ResponseConfig config;
  private volatile long windowMillis;

  GradedResponder(ResponseConfig config, long windowMillis, Blocklist blocklist, Blocklist allowlist,
      UsernameGuards guards, SecurityEvents events, DetectionLog log, Clock clock,
      Supplier<Collection<TrackedClient>> clients) {
    this.config = config;
    this.windowMillis = windowMillis;
    this.blocklist = blocklist;
    this.allowlist = allowlist;
    this.guards = guards;
    this.events = events;
    this.log = log;
    this.clock = clock;
    this.clients = clients;
  }

  void update(ResponseConfig next, long window) {
    config = next;
    windowMillis = window;
  }

  /** Usernames guarded against password guessing (shared with the edge, which enforces them). */
  public UsernameGuards guards() {
    return guards;
  }

  @Override
  public boolean flagged(String clientId) {
    Long until = clientId == null ? null : flaggedUntil.get(clientId);
    return until != null && until > clock.millis();
  }

  @Override
  public synchronized void respond(Detection d) {
    long now = clock.millis();
    Target target = Target.of(d);
    if (target.value() == null) {
      LOG.warn("detection {} names no client, address or username; ignored", d.detector());
      return;
    }
    List<TrackedClient> matched = new ArrayList<>();
    for (TrackedClient c : clients.get()) {
      if (!c.ended && target.matches(c)) {
        matched.add(c);
      }
    }
    String listener = matched.isEmpty() ? null : matched.get(0).listener;
    if (allowlisted(target, d, matched)) {
      record(d, "none (allowlisted)", listener, 0);
      return;
    }
    ResponseConfig cfg = config;
    long flagFor = 2 * windowMillis;
    Action action = d.wanted() == null ? Action.OBSERVE : d.wanted();
    if (action == Action.OBSERVE) {
      flag(d, matched, now + flagFor);
      record(d, "observe", listener, 0);
      return;
    }
    if (action == Action.GUARD && target.kind() != Kind.USERNAME) {
      LOG.warn("detector {} asks to guard a {}; only usernames can be guarded, observed instead",
          d.detector(), target.kind().key());
      flag(d, matched, now + flagFor);
      record(d, "observe", listener, 0);
      return;
    }
    Offence o = offences.computeIfAbsent(target, t -> new Offence());
    if (now - o.lastMillis > cfg.offenceMemory().toMillis()) {
      o.blocks = 0;
    }
    if (action == Action.GUARD) {
      guard(d, target, o, cfg, now, listener);
      return;
    }
    if (o.untilMillis > now && o.level.compareTo(action) >= 0 && o.level != Action.BLOCK
        && o.level != Action.GUARD) { // a guard restricts strangers, not the target: no step from it
      action = stepUp(o.level); // offended again while restricted
    }
    o.lastMillis = now;
    long blockSeconds = 0;
    if (action == Action.BLOCK) {
      Duration ttl = blockTime(cfg, o.blocks);
      o.blocks++;
      blockSeconds = ttl.toSeconds();
      o.level = Action.BLOCK;
      o.untilMillis = now + ttl.toMillis();
      flag(d, matched, o.untilMillis);
      record(d, "block", listener, blockSeconds);
      block(d, target, matched, ttl);
    } else {
      o.level = action;
      o.untilMillis = now + cfg.blockTtl().toMillis();
      int level = action == Action.THROTTLE ? ClientCounters.THROTTLED : ClientCounters.DENIED;
      matched.forEach(c -> c.counters.restrict(level));
      flag(d, matched, Math.max(o.untilMillis, now + flagFor));
      record(d, action.name().toLowerCase(Locale.ROOT), listener, 0);
    }
  }

  /** The next stronger response for a client or address (a guard is for usernames only). */
  private static Action stepUp(Action level) {
    Action next = Action.values()[level.ordinal() + 1];
    return next == Action.GUARD ? Action.BLOCK : next;
  }

  /**
   * Guards a username: logins from client ids and addresses that never logged in as it are refused
   * for the block time. Sessions already open stay, the owner's among them.
   */
  private void guard(Detection d, Target target, Offence o, ResponseConfig cfg, long now, String listener) {
    long until;
    if (o.level == Action.GUARD && o.untilMillis > now) {
      // guessing goes on under the guard: keep it for its current length, no doubling
      until = Math.max(o.untilMillis, now + blockTime(cfg, Math.max(0, o.blocks - 1)).toMillis());
    } else {
      until = now + blockTime(cfg, o.blocks).toMillis();
      o.blocks++;
    }
    o.level = Action.GUARD;
    o.untilMillis = until;
    o.lastMillis = now;
    long seconds = (until - now) / 1000;
    record(d, "guard", listener, seconds);
    guards.guard(target.value(), "detected " + d.detector() + ": " + String.join("; ", d.because()),
        Instant.ofEpochMilli(until), SOURCE_PREFIX + d.detector());
  }

  /** The block time after {@code earlier} blocks: the base doubled each time, capped. */
  static Duration blockTime(ResponseConfig cfg, int earlier) {
    Duration ttl = cfg.blockTtl();
    for (int i = 0; i < earlier && ttl.compareTo(cfg.maxBlockTtl()) < 0; i++) {
      ttl = ttl.multipliedBy(2);
    }
    return ttl.compareTo(cfg.maxBlockTtl()) > 0 ? cfg.maxBlockTtl() : ttl;
  }

  private void block(Detection d, Target target, List<TrackedClient> matched, Duration ttl) {
    ReasonCode code = isFlood(d.detector()) ? ReasonCode.MESSAGE_RATE_TOO_HIGH : ReasonCode.ADMINISTRATIVE_ACTION;
    String why = "detected " + d.detector();
    // ended here first, so the blocklist's own 0x98 for sessions it matches comes too late
    matched.forEach(c -> c.session.disconnect(code, why));
    try {
      blocklist.add(target.kind(), target.value(), why + ": " + String.join("; ", d.because()),
          Instant.ofEpochMilli(clock.millis()).plus(ttl), SOURCE_PREFIX + d.detector());
    } catch (IllegalArgumentException e) {
      LOG.warn("cannot block {} {} for {}: {}", target.kind().key(), target.value(), d.detector(), e.getMessage());
    }
  }

  private static boolean isFlood(String detector) {
    return detector.equals(DetectorCatalog.PUBLISH_FLOOD) || detector.equals(DetectorCatalog.CONNECT_FLOOD);
  }

  private boolean allowlisted(Target target, Detection d, List<TrackedClient> matched) {
    if (allowlist == null || allowlist.list().isEmpty()) {
      return false;
    }
    for (TrackedClient c : matched) {
      String fingerprint = c.identity == null ? null : c.identity.certificateFingerprint();
      if (allowlist.match(address(c.ip), c.clientId, c.username, fingerprint) != null) {
        return true;
      }
    }
    return allowlist.match(address(d.remoteIp()), d.clientId(), d.username(), null) != null;
  }

  private static InetAddress address(String ip) {
    if (ip == null || ip.isEmpty() || !(Character.isDigit(ip.charAt(0)) || ip.indexOf(':') >= 0)) {
      return null;
    }
    try {
      return InetAddress.getByName(ip); // a literal: no name lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private void flag(Detection d, List<TrackedClient> matched, long untilMillis) {
    if (d.clientId() != null) {
      flaggedUntil.merge(d.clientId(), untilMillis, Math::max);
    }
    matched.forEach(c -> flaggedUntil.merge(c.clientId, untilMillis, Math::max));
  }

  private void record(Detection d, String action, String listener, long blockSeconds) {
    log.add(new DetectionRecord(d, action, listener, blockSeconds));
    StringBuilder detail = new StringBuilder();
    detail.append("action=").append(action);
    if (blockSeconds > 0) {
      detail.append(" for ").append(blockSeconds).append(" s");
    }
    if (d.cohort() != null) {
      detail.append(" cohort=").append(d.cohort());
    }
    if (d.username() != null) {
      detail.append(" username=").append(d.username());
    }
    detail.append(" score=").append(String.format(Locale.ROOT, "%.2f", d.score()));
    if (d.because() != null && !d.because().isEmpty()) {
      detail.append(" because: ").append(String.join("; ", d.because()));
    }
    events.report(new SecurityEvent(d.time(), "detected", d.detector(), listener,
        d.remoteIp(), d.clientId(), detail.toString()));
  }

  /** The restriction a new session starts with: that of a throttle or deny still in force. */
  int restrictionFor(String clientId, String ip, String username) {
    long now = clock.millis();
    int level = ClientCounters.FREE;
    for (Target t : List.of(new Target(Kind.CLIENT_ID, clientId), new Target(Kind.IP, ip),
        new Target(Kind.USERNAME, username == null ? "" : username))) {
      Offence o = t.value() == null ? null : offences.get(t);
      if (o != null && o.untilMillis > now) {
        level = Math.max(level, o.level == Action.THROTTLE ? ClientCounters.THROTTLED
            : o.level == Action.DENY ? ClientCounters.DENIED : ClientCounters.FREE);
      }
    }
    return level;
  }

  /** Lifts throttles and denials whose time is up and forgets old offences (detection thread). */
  synchronized void expire(Collection<TrackedClient> tracked) {
    long now = clock.millis();
    for (TrackedClient c : tracked) {
      if (c.counters.restriction() != ClientCounters.FREE
          && restrictionFor(c.clientId, c.ip, c.username) == ClientCounters.FREE) {
        c.counters.restrict(ClientCounters.FREE);
      }
    }
    long memory = config.offenceMemory().toMillis();
    offences.values().removeIf(o -> o.untilMillis < now && now - o.lastMillis > memory);
    flaggedUntil.values().removeIf(until -> until < now);
    guards.expire();
  }

  /**
   * Clears what detection did to a target: its block (only one a detector added), throttle or
   * denial, offence history and flag. Returns what was cleared, empty when nothing was.
   */
  public synchronized List<String> clear(Kind kind, String value) {
    List<String> cleared = new ArrayList<>();
    Target target = new Target(kind, value);
    if (offences.remove(target) != null) {
      cleared.add("offence history");
    }
    if (kind == Kind.USERNAME && guards.clear(value) != null) {
      cleared.add("guard of username " + value);
    }
    for (Blocklist.Entry e : blocklist.list()) {
      if (e.kind() == kind && e.source().startsWith(SOURCE_PREFIX)
          && Blocklist.matches(e, kind == Kind.IP ? address(value) : null,
              kind == Kind.CLIENT_ID ? value : null, kind == Kind.USERNAME ? value : null, null)) {
        blocklist.remove(e.kind(), e.value());
        cleared.add("block " + e.kind().key() + " " + e.value());
      }
    }
    for (TrackedClient c : clients.get()) {
      if (target.matches(c)) {
        if (c.counters.restriction() != ClientCounters.FREE) {
          c.counters.restrict(ClientCounters.FREE);
          cleared.add("restriction of session " + c.clientId);
        }
        flaggedUntil.remove(c.clientId);
      }
    }
    if (kind == Kind.CLIENT_ID && flaggedUntil.remove(value) != null && cleared.isEmpty()) {
      cleared.add("flag");
    }
    return cleared;
  }
}

package io.bastion.security;

import io.bastion.config.AclConfig;
import io.bastion.config.ClientLimitsConfig;
import io.bastion.config.RateConfig;
import io.bastion.mqtt.MqttDecodeException;
import io.bastion.mqtt.MqttMessages;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.PublishView;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.SubackPacket;
import io.bastion.mqtt.SubscribePacket;
import io.bastion.mqtt.TopicFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edge's checks on one session's client → broker packets: topic ACLs for PUBLISH and
 * SUBSCRIBE, publish rate limits, the subscription limit and the broad wildcard policy. Lives on
 * the session's event loop; no locks. Bastion answers what it refuses itself (PUBACK/PUBREC 0x87,
 * SUBACK failure codes merged into the broker's SUBACK by packet identifier).
 */
public final class ClientGuard {

  /** What the relay does with a client's packet. */
  public enum Action {
    FORWARD,
    /** the guard released the packet (and answered it when the protocol wants an answer) */
    DROP,
    /** the guard released the packet; end the session with {@link #disconnectCode()} */
    DISCONNECT
  }

  private static final int SUBACK_REFUSED_V5 = ReasonCode.NOT_AUTHORIZED.v5();
  private static final int SUBACK_QUOTA_V5 = ReasonCode.QUOTA_EXCEEDED.v5();
  private static final String SHARE_PREFIX = "$share/";

  private final EdgeIdentity identity;
  private final int protocolLevel;
  private final String listener;
  private final String remote;
  private final SecurityEvents events;
  private final TopicAcl.SessionAcl acl;
  private final AclConfig.OnDenied onDenied;
  private final ClientLimitsConfig limits;
  private final boolean mayUseBroadWildcards;
  private final TokenBucket messages;
  private final TokenBucket bytes;
  private final PublishView publish = new PublishView();
  private final Map<Integer, ByteBuf> aliases = new HashMap<>();
  private final Set<String> subscriptions = new HashSet<>();
  private final Map<Integer, int[]> pendingSubacks = new HashMap<>();
  private BitSet droppedQos2;
  private ReasonCode disconnectCode;
  private String disconnectWhy;
  private long pauseNanos;

  ClientGuard(EdgeIdentity identity, int protocolLevel, String listener, String remote,
      SecurityEvents events, TopicAcl acl, ClientLimitsConfig limits) {
    this.identity = identity;
    this.protocolLevel = protocolLevel;
    this.listener = listener;
    this.remote = remote;
    this.events = events;
    this.acl = acl.forIdentity(identity);
    this.onDenied = acl.onDeniedPublish();
    this.limits = limits;
    this.mayUseBroadWildcards = limits.broadWildcards() == null || identity.namedIn(limits.broadWildcards());
    long now = System.nanoTime();
    this.messages = bucket(limits.publishRate(), now);
    this.bytes = bucket(limits.publishBandwidth(), now);
  }

  private static TokenBucket bucket(RateConfig rate, long now) {
    return rate.enabled() ? new TokenBucket(rate, now) : null;
  }

  /** Whether this guard checks anything at all (else the relay need not call it). */
  boolean active() {
    return acl != null || messages != null || bytes != null || limits.maxSubscriptions() > 0
        || !mayUseBroadWildcards;
  }

  public EdgeIdentity identity() {
    return identity;
  }

  /**
   * Checks a PUBLISH. After {@code FORWARD}, {@link #pauseNanos()} says how long to stop reading
   * the client when it is over its rate.
   *
   * @throws MqttDecodeException for a malformed PUBLISH (the packet is released)
   */
  public Action onPublish(ByteBuf packet, Channel client) {
    pauseNanos = 0;
    try {
      publish.parse(packet, protocolLevel);
    } catch (MqttDecodeException e) {
      packet.release();
      throw e;
    }
    if (acl != null && !topicAllowed(packet)) {
      String topic = topicForLog(packet);
      events.violation(Violation.PUBLISH_DENIED, event("denied", Violation.PUBLISH_DENIED,
          "publish to '" + topic + "' not allowed"));
      if (onDenied == AclConfig.OnDenied.DISCONNECT) {
        packet.release();
        return disconnect(ReasonCode.NOT_AUTHORIZED, "publish to '" + topic + "' not allowed");
      }
      answerDenied(client);
      packet.release();
      return Action.DROP;
    }
    long wait = 0;
    long now = System.nanoTime();
    if (messages != null) {
      wait = messages.take(1, now);
    }
    if (bytes != null) {
      wait = Math.max(wait, bytes.take(packet.readableBytes(), now));
    }
    if (wait > 0) {
      if (limits.onExcess() == ClientLimitsConfig.OnExcess.DISCONNECT) {
        events.violation(Violation.PUBLISH_RATE_EXCEEDED, event("disconnected",
            Violation.PUBLISH_RATE_EXCEEDED, "publish rate over the limit"));
        packet.release();
        return disconnect(ReasonCode.MESSAGE_RATE_TOO_HIGH, "publish rate over the limit");
      }
      pauseNanos = wait;
    }
    return Action.FORWARD;
  }

  /** Nanoseconds to stop reading after the last forwarded PUBLISH; 0 for none. */
  public long pauseNanos() {
    return pauseNanos;
  }

  /** Reports that reading was paused (once per pause, not per packet). */
  public void paused(long nanos) {
    events.violation(Violation.PUBLISH_THROTTLED, event("throttled", Violation.PUBLISH_THROTTLED,
        "reading paused for " + nanos / 1_000_000 + " ms"));
  }

  private boolean topicAllowed(ByteBuf packet) {
    int alias = publish.topicAlias();
    if (publish.topicLength() > 0) {
      if (alias != 0) {
        byte[] topic = new byte[publish.topicLength()];
        packet.getBytes(publish.topicStart(), topic);
        aliases.put(alias, Unpooled.wrappedBuffer(topic));
      }
      return acl.mayPublish(packet, publish.topicStart(), publish.topicLength());
    }
    ByteBuf topic = aliases.get(alias);
    // an alias the broker does not know is its protocol error to report; Bastion refuses to guess
    return topic != null && acl.mayPublish(topic, 0, topic.readableBytes());
  }

  private String topicForLog(ByteBuf packet) {
    if (publish.topicLength() > 0) {
      return publish.topic(packet);
    }
    ByteBuf t = aliases.get(publish.topicAlias());
    return t == null ? "alias " + publish.topicAlias() : t.toString(StandardCharsets.UTF_8);
  }

  private void answerDenied(Channel client) {
    if (publish.qos() == 1) {
      client.write(MqttMessages.ack(client.alloc(), PacketType.PUBACK.value(), protocolLevel,
          publish.packetId(), ReasonCode.NOT_AUTHORIZED), client.voidPromise());
    } else if (publish.qos() == 2) {
      client.write(MqttMessages.ack(client.alloc(), PacketType.PUBREC.value(), protocolLevel,
          publish.packetId(), ReasonCode.NOT_AUTHORIZED), client.voidPromise());
      if (protocolLevel != 5) {
        // 3.1.1 cannot say no: the client goes on with PUBREL, which Bastion answers itself
        if (droppedQos2 == null) {
          droppedQos2 = new BitSet(65536);
        }
        droppedQos2.set(publish.packetId());
      }
    }
  }

  /** A PUBREL for a QoS 2 PUBLISH Bastion dropped is answered here; true when consumed. */
  public boolean onPubrel(ByteBuf packet, Channel client) {
    if (droppedQos2 == null || packet.readableBytes() < 4) {
      return false;
    }
    int id = packet.getUnsignedShort(packet.readerIndex() + 2);
    if (!droppedQos2.get(id)) {
      return false;
    }
    droppedQos2.clear(id);
    packet.release();
    client.write(MqttMessages.pubcomp(client.alloc(), id), client.voidPromise());
    return true;
  }

  /**
   * Checks a SUBSCRIBE's filters.
   *
   * @return the packet to forward (the same one, or a copy without the refused filters), or null
   *     when every filter was refused and Bastion answered the SUBACK itself
   * @throws MqttDecodeException for a malformed SUBSCRIBE (the packet is released)
   */
  public ByteBuf onSubscribe(ByteBuf packet, Channel client) {
    SubscribePacket sub = parse(packet);
    List<SubscribePacket.Entry> entries = sub.entries();
    int[] refused = new int[entries.size()];
    boolean[] keep = new boolean[entries.size()];
    int kept = 0;
    for (int i = 0; i < entries.size(); i++) {
      String filter = entries.get(i).filter();
      int code = refusal(filter);
      if (code < 0) {
        keep[i] = true;
        kept++;
        subscriptions.add(filter);
      }
      refused[i] = code;
    }
    if (kept == entries.size()) {
      return packet;
    }
    if (kept == 0) {
      packet.release();
      client.write(SubackPacket.write(client.alloc(), protocolLevel, sub.packetId(), refused),
          client.voidPromise());
      return null;
    }
    pendingSubacks.put(sub.packetId(), refused);
    ByteBuf rewritten = sub.rewrite(client.alloc(), packet, keep);
    packet.release();
    return rewritten;
  }

  /** Bookkeeping of UNSUBSCRIBE for the subscription limit; the packet always goes on. */
  public void onUnsubscribe(ByteBuf packet) {
    if (limits.maxSubscriptions() > 0) {
      parse(packet).entries().forEach(e -> subscriptions.remove(e.filter()));
    }
  }

  private SubscribePacket parse(ByteBuf packet) {
    try {
      return SubscribePacket.parse(packet, protocolLevel);
    } catch (MqttDecodeException e) {
      packet.release();
      throw e;
    }
  }

  /** The SUBACK code refusing {@code filter}, or -1 when it may go to the broker. */
  private int refusal(String filter) {
    String topicFilter = filter;
    if (filter.startsWith(SHARE_PREFIX)) {
      int slash = filter.indexOf('/', SHARE_PREFIX.length());
      topicFilter = slash < 0 ? filter : filter.substring(slash + 1);
    }
    int denied = protocolLevel == 5 ? SUBACK_REFUSED_V5 : SubackPacket.FAILURE_V3;
    if (!mayUseBroadWildcards && TopicFilter.problem(topicFilter) == null
        && TopicFilter.of(topicFilter).isRootWildcard()) {
      events.violation(Violation.BROAD_WILDCARD, event("denied", Violation.BROAD_WILDCARD,
          "subscription to '" + filter + "' needs a named identity"));
      return denied;
    }
    if (acl != null && !acl.maySubscribe(topicFilter)) {
      events.violation(Violation.SUBSCRIBE_DENIED, event("denied", Violation.SUBSCRIBE_DENIED,
          "subscription to '" + filter + "' not allowed"));
      return denied;
    }
    if (limits.maxSubscriptions() > 0 && !subscriptions.contains(filter)
        && subscriptions.size() >= limits.maxSubscriptions()) {
      events.violation(Violation.SUBSCRIPTION_LIMIT, event("denied", Violation.SUBSCRIPTION_LIMIT,
          "more than " + limits.maxSubscriptions() + " subscriptions"));
      return protocolLevel == 5 ? SUBACK_QUOTA_V5 : SubackPacket.FAILURE_V3;
    }
    return -1;
  }

  /**
   * A SUBACK from the broker: when Bastion left filters out of the matching SUBSCRIBE, their
   * failure codes are put back at their positions. Returns the packet to send on.
   */
  public ByteBuf onSuback(ByteBuf packet) {
    if (pendingSubacks.isEmpty()) {
      return packet;
    }
    int id = SubackPacket.packetId(packet);
    int[] refused = id < 0 ? null : pendingSubacks.remove(id);
    if (refused == null) {
      return packet;
    }
    int[] granted = SubackPacket.codes(packet, protocolLevel);
    int[] merged = new int[refused.length];
    for (int i = 0, g = 0; i < merged.length; i++) {
      merged[i] = refused[i] >= 0 ? refused[i] : g < granted.length ? granted[g++] : 0x80;
    }
    ByteBuf out = SubackPacket.withCodes(packet.alloc(), packet, protocolLevel, merged);
    packet.release();
    return out;
  }

  private Action disconnect(ReasonCode code, String why) {
    disconnectCode = code;
    disconnectWhy = why;
    return Action.DISCONNECT;
  }

  public ReasonCode disconnectCode() {
    return disconnectCode;
  }

  public String disconnectWhy() {
    return disconnectWhy;
  }

  private SecurityEvent event(String kind, Violation v, String detail) {
    return new SecurityEvent(Instant.now(), kind, v.label(), listener, remote, identity.clientId(), detail);
  }
}

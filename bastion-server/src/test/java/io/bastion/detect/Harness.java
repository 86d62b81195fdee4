package io.bastion.detect;

import io.bastion.detect.sim.VirtualClock;

import io.bastion.backend.Broker;
import io.bastion.config.BrokerConfig;
import io.bastion.config.DetectionConfig;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;
import io.bastion.config.ModelConfig;
import io.bastion.config.ResponseConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.relay.Session;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.security.Blocklist;
import io.bastion.security.EdgeIdentity;
import io.bastion.security.SecurityEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A detection engine on a hand-moved clock with sessions over embedded channels: everything but
 * the sockets is real (blocklists, security events, counters, rules, responder).
 */
final class Harness implements AutoCloseable {

  final VirtualClock clock = new VirtualClock(1_000_000);
  final SecurityEvents events = new SecurityEvents(1000);
  final Blocklist blocklist = new Blocklist("blocklist", clock);
  final Blocklist allowlist = new Blocklist("allowlist", clock);
  final DetectionEngine engine;
  final List<List<ClientWindow>> windows = new ArrayList<>();
  final List<List<IpWindow>> ipWindows = new ArrayList<>();
  private final Broker broker = new Broker("pool", new BrokerConfig("b1", "127.0.0.1", 1883, 1), 3, 1_000_000_000L);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  /** A client session as the relay would have it. */
  record Client(Session session, ClientCounters counters, EmbeddedChannel channel, MqttFrameDecoder decoder) {

    void in(ByteBuf packet) {
      counters.packetIn(packet, packet.getUnsignedByte(0) >>> 4, packet.readableBytes());
      packet.release();
    }

    void out(ByteBuf packet) {
      counters.packetOut(packet.getUnsignedByte(0), packet.readableBytes());
      packet.release();
    }

    void close() {
      channel.close();
    }
  }

  Harness() {
    this(config(Map.of()));
  }

  Harness(DetectionConfig config) {
    engine = new DetectionEngine(config, blocklist, allowlist, events, clock);
    engine.addSink(windows::add);
    engine.addIpSink(ipWindows::add);
  }

  /** Default config with some rules replaced, a 10 s window. */
  static DetectionConfig config(Map<String, DetectorConfig> rules) {
    Map<String, DetectorConfig> all = DetectorCatalog.defaults();
    all.putAll(rules);
    return new DetectionConfig(true, Duration.ofSeconds(10), ModelConfig.defaults(), List.of(), all,
        ResponseConfig.DEFAULT);
  }

  /** A rule enforcing with the given action and limits (the rest default). */
  static DetectorConfig rule(String name, String action, Object... limits) {
    DetectorConfig d = DetectorCatalog.defaults().get(name);
    Map<String, Double> l = new HashMap<>(d.limits());
    for (int i = 0; i < limits.length; i += 2) {
      l.put((String) limits[i], ((Number) limits[i + 1]).doubleValue());
    }
    return new DetectorConfig(name, true, io.bastion.config.DetectionMode.ENFORCE,
        io.bastion.config.DetectorAction.valueOf(action.toUpperCase()), l, d.allowed());
  }

  static InetSocketAddress addr(String ip) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A connection that connects and starts a session. */
  Client connect(String clientId, String ip) {
    return connect(clientId, ip, null, 5, 60);
  }

  Client connect(String clientId, String ip, String username, int protocolLevel, int keepAlive) {
    IpCounters a = engine.opened(addr(ip));
    engine.connected(a, clientId, username);
    EmbeddedChannel client = new EmbeddedChannel();
    EmbeddedChannel brokerChannel = new EmbeddedChannel();
    channels.add(client);
    channels.add(brokerChannel);
    MqttFrameDecoder decoder = new MqttFrameDecoder(1 << 20);
    client.pipeline().addLast(decoder);
    EdgeIdentity id = new EdgeIdentity(clientId, username, List.of(), null, null, username != null,
        addr(ip).getAddress());
    Session s = new Session(clientId, username, id, protocolLevel, "mqtt", addr(ip), client, broker,
        brokerChannel, new SessionRegistry(), new TrafficStats());
    ClientCounters c = engine.sessionStarted(s, keepAlive, 0, 2_000_000, List.of(), decoder, client.closeFuture());
    s.counters(c);
    return new Client(s, c, client, decoder);
  }

  void tick() {
    clock.advance(1000); // one second a step: the tests count in seconds
    engine.tick(clock.millis());
  }

  /** One tick {@code millis} after the last (the engine's own tick is 250 ms). */
  void tick(long millis) {
    clock.advance(millis);
    engine.tick(clock.millis());
  }

  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      tick();
    }
  }

  List<DetectionRecord> detections() {
    return engine.log().recent(1000, r -> true);
  }

  List<DetectionRecord> detections(String detector) {
    return engine.log().recent(1000, r -> r.detection().detector().equals(detector));
  }

  @Override
  public void close() {
    engine.close();
    channels.forEach(c -> c.finishAndReleaseAll());
  }
}

package io.bastion.frontend;

import io.bastion.backend.Broker;
import io.bastion.backend.BrokerDialer;
import io.bastion.backend.BrokerPool;
import io.bastion.config.ListenerConfig;
import io.bastion.detect.ClientCounters;
import io.bastion.detect.DetectionEngine;
import io.bastion.detect.IpCounters;
import io.bastion.mqtt.ConnackProperties;
import io.bastion.mqtt.ConnectPacket;
import io.bastion.mqtt.ConnectParser;
import io.bastion.mqtt.MqttDecodeException;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.mqtt.MqttMessages;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.relay.BrokerRelayHandler;
import io.bastion.relay.ClientRelayHandler;
import io.bastion.relay.GracefulClose;
import io.bastion.relay.Session;
import io.bastion.routing.PriorityRoute;
import io.bastion.routing.RouteRequest;
import io.bastion.routing.RoutingRule;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.bastion.security.ClientGuard;
import io.bastion.security.SecurityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first packet of a client connection: it must be a valid CONNECT, within the listener's
 * connect timeout. Routes it, opens the broker connection with failover while the client waits,
 * then hands the channel to the relay and leaves the pipeline.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter implements BrokerDialer.Attempt {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
  /** Packets a client may send before its CONNACK; more is abuse, not pipelining. */
  private static final int MAX_EARLY_PACKETS = 64;

  private final ListenerConfig listener;
  private final ProxyServices services;
  private final ListenerStats stats;

  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> connectTimeout;
  private ConnectPacket connect;
  private ConnectionInfo connection;
  private Object identity;
  private ConnectAdmission admission;
  private ClientGuard guard;
  private ByteBuf connectBytes;
  private final List<ByteBuf> early = new ArrayList<>(0);
  private int earlySent;
  private BrokerPool pool;
  private String priorityRule;
  private List<Broker> candidates;
  private int next;
  private Broker dialing;
  private Channel dialingChannelOpen;
  private String lastFailure;
  private boolean finished;
  private DetectionEngine detection;
  private IpCounters address;
  private boolean connectSeen;
  private long acceptedNanos;
  private long connectAt;

  ConnectHandler(ListenerConfig listener, ProxyServices services, ListenerStats stats) {
    this.listener = listener;
    this.services = services;
    this.stats = stats;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ListenerStats counted = stats; // the listener must not keep this handler alive
    counted.connectionOpened();
    ctx.channel().closeFuture().addListener(f -> counted.connectionClosed());
    acceptedNanos = System.nanoTime();
    detection = services.detection();
    if (detection != null && listener.proxyProtocol() == null) {
      // behind a PROXY-protocol balancer the client's address is known only with its CONNECT
      address = detection.opened(ctx.channel().remoteAddress());
    }
    connectTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (connect == null) {
                    refuse(0, null, Refusal.CONNECT_TIMEOUT, "no CONNECT within " + listener.connectTimeout().toMillis() + " ms");
                  }
                },
                listener.connectTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg;
    if (finished) {
      packet.release();
      return;
    }
    int type = packet.getUnsignedByte(packet.readerIndex()) >>> 4;
    if (connect != null) {
      earlyPacket(type, packet);
      return;
    }
    if (type != PacketType.CONNECT.value()) {
      packet.release();
      refuse(0, null, Refusal.NOT_CONNECT, "first packet is not CONNECT (type " + type + ")");
      return;
    }
    try {
      connect = ConnectParser.parse(packet);
    } catch (MqttDecodeException e) {
      packet.release();
      refuse(e.protocolLevel(), e.reasonCode(), Refusal.INVALID_CONNECT, "invalid CONNECT: " + e.getMessage());
      return;
    }
    connectBytes = packet;
    connectAt = System.nanoTime();
    connectTimeout.cancel(false);
    connection = ConnectionInfo.of(ctx.channel(), listener.name());
    if (detection != null) {
      if (address == null) {
        address = detection.opened(connection.remoteAddress());
      }
      connectSeen = true;
      detection.connected(address, connect.clientId(), connect.username());
    }
    ctx.channel().config().setAutoRead(false);
    admission = services.admission();
    admission.admit(connection, connect).whenComplete((verdict, error) -> {
      if (ctx.executor().inEventLoop()) {
        admitted(verdict, error);
      } else {
        ctx.executor().execute(() -> admitted(verdict, error));
      }
    });
  }

  private void admitted(ConnectAdmission.Verdict verdict, Throwable error) {
    if (abandoned()) {
      release();
      return;
    }
    if (error != null) {
      LOG.warn("admission check of {} failed", connect.clientId(), error);
      refuse(connect.protocolLevel(), ReasonCode.UNSPECIFIED_ERROR, Refusal.CONNECTION_ERROR,
          "admission check failed: " + error);
    } else if (!verdict.allowed()) {
      refuse(connect.protocolLevel(), verdict.code(), verdict.refusal(), verdict.detail());
    } else {
      identity = verdict.identity();
      guard = admission.guard(connection, connect, identity);
      route();
    }
  }

  private void earlyPacket(int type, ByteBuf packet) {
    if (type == PacketType.CONNECT.value() || early.size() >= MAX_EARLY_PACKETS) {
      packet.release();
      refuse(connect.protocolLevel(), ReasonCode.PROTOCOL_ERROR, Refusal.PROTOCOL_ERROR,
          type == PacketType.CONNECT.value() ? "second CONNECT" : "too many packets before CONNACK");
      return;
    }
    early.add(packet);
    if (dialingChannelOpen != null && guard == null) {
      // the broker connection is already open: keep the order CONNECT, early packets
      sendEarly(dialingChannelOpen);
    }
  }

  private void route() {
    ConnectionInfo.ClientCertificate cert = connection.certificate();
    RouteRequest request = new RouteRequest(listener.name(), connect.clientId(),
        connect.username(), connection.sni(), cert == null ? null : cert.subjectCn());
    RoutingRule rule = services.router().ruleFor(request);
    if (rule != null && rule.priority() != null) {
      routeByPriority(rule.priority());
      return;
    }
    String poolName = rule != null ? rule.pool() : services.router().poolFor(request);
    if (poolName == null) {
      refuse(connect.protocolLevel(), ReasonCode.NOT_AUTHORIZED, Refusal.NO_ROUTE, "no routing rule matches");
      return;
    }
    pool = services.backends().pool(poolName);
    candidates = pool.candidates(connect.clientId());
    if (candidates.isEmpty()) {
      refuse(connect.protocolLevel(), ReasonCode.SERVER_UNAVAILABLE, Refusal.NO_BROKER, "no broker available in pool " + poolName);
      return;
    }
    dialNext();
  }

  /**
   * The best pool that is up takes the session; should all its brokers fail to answer, the
   * client fails over to the rule's other pools while it waits for its CONNACK.
   */
  private void routeByPriority(PriorityRoute route) {
    PriorityRoute.Choice choice = route.choose(services.backends());
    priorityRule = route.rule();
    candidates = new ArrayList<>();
    for (String name : choice.connectOrder()) {
      BrokerPool p = services.backends().pool(name);
      if (p != null) {
        pool = pool == null ? p : pool;
        candidates.addAll(p.candidates(connect.clientId()));
      }
    }
    if (candidates.isEmpty()) {
      refuse(connect.protocolLevel(), ReasonCode.SERVER_UNAVAILABLE, Refusal.NO_BROKER,
          "no broker available in pools " + String.join(", ", choice.connectOrder()));
      return;
    }
    dialNext();
  }

  /** The client went away or was refused while a broker was being dialled. */
  private boolean abandoned() {
    return finished || !ctx.channel().isActive();
  }

  private void dialNext() {
    if (abandoned()) {
      release();
      return;
    }
    if (next >= candidates.size()) {
      refuse(connect.protocolLevel(), ReasonCode.SERVER_UNAVAILABLE, Refusal.NO_BROKER,
          "no broker of " + (priorityRule == null ? "pool " + pool.name()
              : "the pools of rule " + priorityRule) + " reachable (last: " + lastFailure + ")");
      return;
    }
    dialing = candidates.get(next++);
    dialingChannelOpen = null;
    // each pool has its own TLS and PROXY protocol settings towards its brokers
    BrokerPool own = services.backends().pool(dialing.pool());
    services.dialer().dial(ctx.channel().eventLoop(), own == null ? pool : own, dialing,
        connection.remoteAddress(),
        ctx.channel().localAddress(), this);
  }

  @Override
  public void opened(Channel broker) {
    if (abandoned()) {
      broker.close(); // the attempt then fails and dialNext cleans up
      return;
    }
    dialingChannelOpen = broker;
    broker.write(connectBytes.retainedDuplicate(), broker.voidPromise());
    earlySent = 0;
    if (guard == null) {
      sendEarly(broker);
    } else {
      // early packets wait for the relay, which checks them like any other
      broker.flush();
    }
  }

  private void sendEarly(Channel broker) {
    while (earlySent < early.size()) {
      broker.write(early.get(earlySent++).retainedDuplicate(), broker.voidPromise());
    }
    broker.flush();
  }

  @Override
  public void replied(Channel brokerChannel, ByteBuf firstPacket) {
    Channel client = ctx.channel();
    if (abandoned()) {
      firstPacket.release();
      brokerChannel.close();
      release();
      return;
    }
    Broker broker = dialing;
    broker.connectSucceeded();
    Session session =
        new Session(connect.clientId(), connect.username(), identity, connect.protocolLevel(),
            listener.name(), connection.remoteAddress(), client, broker, brokerChannel,
            services.sessions(), services.traffic());
    session.guard(guard);
    session.priorityRule(priorityRule);
    if (detection != null && brokerRefusedLogin(firstPacket)) {
      detection.authFailed(address, connect.clientId(), connect.username());
    }
    if (MqttMessages.connackReturnCode(firstPacket) == 0) {
      admission.loggedIn(connection, connect, identity);
    }
    if (detection != null) {
      ConnectionInfo.ClientCertificate cert = connection.certificate();
      MqttFrameDecoder decoder = client.pipeline().get(MqttFrameDecoder.class);
      ClientCounters counters = detection.sessionStarted(session, connect.keepAliveSeconds(),
          connect.willFlag() ? connect.willPayloadLength() : 0, connectAt - acceptedNanos,
          cert == null ? List.of() : cert.organizationalUnits(), decoder, client.closeFuture());
      session.counters(counters);
    }
    long bytesIn = connectBytes.readableBytes();
    for (ByteBuf b : early) {
      bytesIn += b.readableBytes();
    }
    brokerChannel.pipeline().addLast(HandlerNames.RELAY, new BrokerRelayHandler(session));
    int keepAlive = keepAliveSeconds(firstPacket);
    if (keepAlive > 0) {
      // MQTT: the server closes a client silent for one and a half keepalive periods
      long idleMillis = keepAlive * 1500L;
      ctx.pipeline().addBefore(HandlerNames.CONNECT, HandlerNames.KEEPALIVE,
          new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
    }
    ctx.pipeline().replace(this, HandlerNames.RELAY, new ClientRelayHandler(session));
    int connackBytes = firstPacket.readableBytes();
    // the CONNACK leaves first: registering the session (and claiming it cluster-wide) comes after
    client.writeAndFlush(firstPacket, client.voidPromise());
    session.start(bytesIn, connackBytes);
    if (guard != null && !early.isEmpty()) {
      List<ByteBuf> held = new ArrayList<>(early);
      early.clear();
      ChannelHandlerContext decoder = client.pipeline().context(HandlerNames.FRAME_DECODER);
      held.forEach(decoder::fireChannelRead);
      decoder.fireChannelReadComplete();
    }
    release();
    client.config().setAutoRead(brokerChannel.isWritable());
  }

  /** The client's keepalive, unless an MQTT 5 broker replaced it with its Server Keep Alive. */
  private int keepAliveSeconds(ByteBuf connack) {
    int serverKeepAlive = connect.isMqtt5() ? ConnackProperties.serverKeepAlive(connack) : -1;
    return serverKeepAlive >= 0 ? serverKeepAlive : connect.keepAliveSeconds();
  }

  @Override
  public void failed(String reason, boolean brokerFault) {
    if (brokerFault) {
      dialing.connectFailed(reason);
    }
    LOG.debug("client {}: broker {} failed: {}", connect.clientId(), dialing, reason);
    lastFailure = dialing + ": " + reason;
    dialing = null;
    dialingChannelOpen = null;
    dialNext();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (detection != null && !connectSeen) {
      connectSeen = true;
      detection.closedBeforeConnect(address);
    }
    if (dialing == null) {
      release();
    }
    if (connectTimeout != null) {
      connectTimeout.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof MqttDecodeException bad) {
      int level = connect != null ? connect.protocolLevel() : bad.protocolLevel();
      refuse(level, bad.reasonCode(), Refusal.BAD_PACKET, "bad packet: " + bad.getMessage());
    } else {
      LOG.debug("connection from {} failed before its session started", ctx.channel().remoteAddress(), c);
      refuse(0, null, Refusal.CONNECTION_ERROR, "connection error: " + c.getMessage());
    }
  }

  /**
   * Ends the connection before a session exists: a CONNACK with the code the client's protocol
   * level defines when there is one, then close.
   */
  private void refuse(int protocolLevel, ReasonCode code, Refusal reason, String why) {
    if (finished) {
      return;
    }
    finished = true;
    stats.refused(reason);
    if (detection != null) {
      detected(reason);
    }
    services.events().record(new SecurityEvent(Instant.now(), "refused", reason.label(), listener.name(),
        String.valueOf(remote()), connect == null ? null : connect.clientId(), why));
    Channel ch = ctx.channel();
    LOG.info("refused remote={} listener={} client-id={} reason={} detail=\"{}\"",
        remote(), listener.name(), connect == null ? "-" : connect.clientId(),
        reason.label(), why);
    GracefulClose.close(ch, code == null ? null : MqttMessages.connack(ch.alloc(), protocolLevel, code));
    if (dialing == null) {
      release();
    }
  }

  /** Whether the broker's CONNACK refuses the credentials (when the broker authenticates). */
  private boolean brokerRefusedLogin(ByteBuf connack) {
    int code = MqttMessages.connackReturnCode(connack);
    return connect.isMqtt5()
        ? code == ReasonCode.BAD_USERNAME_OR_PASSWORD.v5() || code == ReasonCode.NOT_AUTHORIZED.v5()
        : code == ReasonCode.BAD_USERNAME_OR_PASSWORD.v3ConnackCode() || code == ReasonCode.NOT_AUTHORIZED.v3ConnackCode();
  }

  /** Tells detection about failed logins and broken packets. */
  private void detected(Refusal reason) {
    String clientId = connect == null ? null : connect.clientId();
    switch (reason) {
      // a guarded refusal is one more guess: it keeps the guard in force while guessing goes on
      case AUTH_FAILED, USERNAME_GUARDED -> detection.authFailed(address, clientId, connect.username());
      case BAD_PACKET, INVALID_CONNECT, NOT_CONNECT -> detection.malformed(address, clientId);
      default -> { }
    }
  }

  private java.net.SocketAddress remote() {
    return ConnectionInfo.of(ctx.channel(), listener.name()).remoteAddress();
  }

  private void release() {
    finished = true;
    if (connectBytes != null) {
      connectBytes.release();
      connectBytes = null;
    }
    early.forEach(ByteBuf::release);
    early.clear();
  }
}

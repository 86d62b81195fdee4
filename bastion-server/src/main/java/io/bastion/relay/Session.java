package io.bastion.relay;

import io.bastion.backend.Broker;
import io.bastion.mqtt.MqttMessages;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.ClientGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.SocketAddress;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed MQTT session: a client channel, the broker channel chosen for it, and what the log
 * line at its end reports. Both channels share one event loop, so the counters need no locks.
 */
public final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final String clientId;
  private final String username;
  private final Object identity;
  private final int protocolLevel;
  private final String listener;
  private final SocketAddress remote;
  private final Broker broker;
  private final Channel client;
  private final Channel brokerChannel;
  private final SessionRegistry registry;
  private final TrafficStats traffic;
  private final Instant started = Instant.now();
  private final long startNanos = System.nanoTime();

  long bytesIn;
  long bytesOut;
  private String endReason;
  private boolean ended;
  private boolean closing;
  private ClientGuard guard;
  private boolean throttled;
  private volatile String priorityRule;
  private io.bastion.detect.ClientCounters counters;

  public Session(
      String clientId,
      String username,
      Object identity,
      int protocolLevel,
      String listener,
      SocketAddress remote,
      Channel client,
      Broker broker,
      Channel brokerChannel,
      SessionRegistry registry,
      TrafficStats traffic) {
    this.clientId = clientId;
    this.username = username;
    this.traffic = traffic;
    this.protocolLevel = protocolLevel;
    this.listener = listener;
    this.remote = remote;
    this.identity = identity;
    this.broker = broker;
    this.client = client;
    this.brokerChannel = brokerChannel;
    this.registry = registry;
  }

  /** Puts the relay handlers in place and starts counting the session on its broker. */
  public void start(long bytesAlreadyIn, long bytesAlreadyOut) {
    bytesIn = bytesAlreadyIn;
    bytesOut = bytesAlreadyOut;
    broker.sessionOpened();
    registry.add(this);
    client.closeFuture().addListener(f -> onClientClosed());
    brokerChannel.closeFuture().addListener(f -> onBrokerClosed());
  }

  public String clientId() {
    return clientId;
  }

  /** The CONNECT's username, or null. */
  public String username() {
    return username;
  }

  /** Who admission said the client is (for topic ACLs and the like), or null. */
  public Object identity() {
    return identity;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  TrafficStats traffic() {
    return traffic;
  }

  public int protocolLevel() {
    return protocolLevel;
  }

  public String listener() {
    return listener;
  }

  public SocketAddress remoteAddress() {
    return remote;
  }

  public Broker broker() {
    return broker;
  }

  public Instant started() {
    return started;
  }

  Channel client() {
    return client;
  }

  Channel brokerChannel() {
    return brokerChannel;
  }

  /** Sets the edge's checks on this session's packets (null for none); before the relay starts. */
  public void guard(ClientGuard checks) {
    this.guard = checks;
  }

  /** The edge's checks on this session's packets, or null. */
  public ClientGuard guard() {
    return guard;
  }

  /** Names the priority rule that placed this session (null for none); before the relay starts. */
  public void priorityRule(String rule) {
    this.priorityRule = rule;
  }

  /** The rule with pools by priority that placed this session, or null. */
  public String priorityRule() {
    return priorityRule;
  }

  /** Sets the detection counters its relay writes (null when detection is off); before the relay starts. */
  public void counters(io.bastion.detect.ClientCounters detectionCounters) {
    this.counters = detectionCounters;
  }

  /** Detection's counters of this session, or null. */
  public io.bastion.detect.ClientCounters counters() {
    return counters;
  }

  /** Whether reading from the client is paused because it publishes over its rate. */
  public boolean throttled() {
    return throttled;
  }

  void throttled(boolean paused) {
    throttled = paused;
  }

  /** Whether Bastion is reading from the client now (false while paused for backpressure). */
  public boolean clientReading() {
    return client.config().isAutoRead();
  }

  /** Bastion is ending the session: whatever the client still sends is dropped. */
  boolean closing() {
    return closing;
  }

  /** Remembers why the session is ending; the first reason given wins. */
  void reason(String why) {
    if (endReason == null) {
      endReason = why;
    }
  }

  /**
   * Bastion itself ends the session: an MQTT 5 client is told why with a DISCONNECT, then both
   * sides close. Safe from any thread.
   */
  public void disconnect(ReasonCode code, String why) {
    disconnect(code, why, null);
  }

  /** As {@link #disconnect(ReasonCode, String)}, naming the server an MQTT 5 client should use. */
  public void disconnect(ReasonCode code, String why, String serverReference) {
    if (!client.eventLoop().inEventLoop()) {
      client.eventLoop().execute(() -> disconnect(code, why, serverReference));
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    reason(why);
    if (movesElsewhere(code) && brokerChannel.isActive()) {
      // the client is alive and reconnects elsewhere: a clean DISCONNECT keeps its Will unpublished
      brokerChannel.writeAndFlush(MqttMessages.disconnectV311(brokerChannel.alloc()))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      brokerChannel.close(); // as if the connection broke: the broker publishes the Will
    }
    GracefulClose.close(client, MqttMessages.disconnect(client.alloc(), protocolLevel, code, serverReference));
  }

  /** Bastion moves a healthy client (drain, shutdown) rather than ending a misbehaving one. */
  private static boolean movesElsewhere(ReasonCode code) {
    return code == ReasonCode.USE_ANOTHER_SERVER || code == ReasonCode.SERVER_SHUTTING_DOWN;
  }

  private void onClientClosed() {
    reason("client closed the connection");
    closeAfterFlush(brokerChannel);
    end();
  }

  private void onBrokerClosed() {
    reason("broker closed the connection");
    if (!closing) {
      closing = true;
      client.flush();
      GracefulClose.close(client, null);
    }
    end();
  }

  private static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    broker.sessionClosed();
    registry.remove(this);
    if (LOG.isInfoEnabled()) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      LOG.info(
          "session end client-id={} remote={} listener={} broker={} duration={}s bytes-in={} bytes-out={} reason=\"{}\"",
          clientId, remote, listener, broker, String.format("%.3f", seconds), bytesIn, bytesOut, endReason);
    }
  }
}

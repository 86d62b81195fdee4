package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.bastion.config.ProxyProtocolConfig;
import io.bastion.config.WebSocketConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.security.SecurityEvent;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layers every listener kind is built from, in wire order:
 * {@code [proxy-protocol] [tls] [http + websocket] mqtt-frame-decoder → connect}. Each subclass
 * lists the layers of its kind in {@code initChannel}; the settings are read per connection, so a
 * reload applies to connections accepted from then on.
 */
abstract class ListenerInitializer extends ChannelInitializer<SocketChannel> {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerInitializer.class);
  /** An upgrade request is a few hundred bytes; anything near this is not a browser. */
  private static final int MAX_UPGRADE_REQUEST = 8192;

  private final AtomicReference<ListenerConfig> config;
  private final ProxyServices services;
  private final ListenerStats stats;
  private final ServerTlsContext tls;
  private volatile TrustedSources trusted;
  private volatile ProxyProtocolConfig trustedFrom;

  ListenerInitializer(AtomicReference<ListenerConfig> config, ProxyServices services,
      ListenerStats stats, ServerTlsContext tls) {
    this.config = config;
    this.services = services;
    this.stats = stats;
    this.tls = tls;
  }

  ListenerConfig config() {
    return config.get();
  }

  /**
   * Without PROXY protocol, puts the accept-time limits at the head of the pipeline. With PROXY protocol configured, a connection from an untrusted address is closed here, before
   * any byte is read; a trusted one gets the header decoder. False when the channel was closed.
   */
  boolean addProxyProtocol(SocketChannel ch, ListenerConfig c) {
    ProxyProtocolConfig proxy = c.proxyProtocol();
    if (proxy == null) {
      // accept-time limits first, before any TLS work; behind a PROXY-protocol balancer the socket
      // address is the balancer's, so limits by address belong there
      AcceptGuard.addAcceptGuards(ch.pipeline(), c.name(), services, stats);
      return true;
    }
    if (!trustedSources(proxy).contains(ch.remoteAddress())) {
      stats.proxyProtocolRejected();
      String why = "PROXY protocol connection from an untrusted address";
      LOG.info("refused remote={} listener={} reason=proxy-protocol-untrusted", ch.remoteAddress(), c.name());
      services.events().record(new SecurityEvent(Instant.now(), "refused", "proxy-protocol-untrusted",
          c.name(), String.valueOf(ch.remoteAddress()), null, why));
      ch.close();
      return false;
    }
    ch.pipeline()
        .addLast(HandlerNames.PROXY_DECODER, new HAProxyMessageDecoder())
        .addLast(HandlerNames.PROXY_PROTOCOL, new ProxyProtocolHandler(c.name(), stats));
    return true;
  }

  /** SNI picks the certificate, then the handshake's outcome is recorded. */
  void addTls(ChannelPipeline pipeline, ListenerConfig c) {
    pipeline
        .addLast(HandlerNames.TLS, tls.newSniHandler())
        .addLast(HandlerNames.TLS_HANDSHAKE, new TlsHandshakeHandler(c.name(), stats));
  }

  /** HTTP until the upgrade, then WebSocket frames in and out as plain MQTT bytes. */
  void addWebSocket(ChannelPipeline pipeline, ListenerConfig c) {
    WebSocketConfig ws = c.websocket() == null ? WebSocketConfig.DEFAULT : c.websocket();
    WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(ws.path())
        .subprotocols(String.join(",", ws.subprotocols()))
        .checkStartsWith(false)
        .handshakeTimeoutMillis(c.connectTimeout().toMillis())
        .maxFramePayloadLength(ws.maxFrameSize())
        .handleCloseFrames(true)
        .dropPongFrames(true)
        .build();
    pipeline
        .addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec())
        .addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_UPGRADE_REQUEST))
        .addLast(HandlerNames.WEBSOCKET_GATE, new WebSocketUpgradeGate(c.name(), ws, stats))
        .addLast(HandlerNames.WEBSOCKET, new WebSocketServerProtocolHandler(protocol))
        .addLast(HandlerNames.WEBSOCKET_MQTT, new MqttWebSocketCodec());
  }

  /** Frame decoder → CONNECT handling; the relay replaces the latter once routed. */
  void addMqttTail(ChannelPipeline pipeline, ListenerConfig c) {
    pipeline
        .addLast(HandlerNames.FRAME_DECODER, new MqttFrameDecoder(c.maxPacketSize()))
        .addLast(HandlerNames.CONNECT, new ConnectHandler(c, services, stats));
  }

  private TrustedSources trustedSources(ProxyProtocolConfig proxy) {
    if (trustedFrom != proxy) {
      trusted = new TrustedSources(proxy.trusted());
      trustedFrom = proxy; // compiled once per configuration, not per connection
    }
    return trusted;
  }
}

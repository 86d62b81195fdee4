package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline of a plain MQTT-over-TCP listener. Listener kinds that add transport layers (TLS,
 * WebSocket, PROXY protocol) put them in front of the shared MQTT tail.
 */
final class TcpListenerInitializer extends ChannelInitializer<SocketChannel> {

  private final AtomicReference<ListenerConfig> config;
  private final ProxyServices services;
  private final ListenerStats stats;

  TcpListenerInitializer(
      AtomicReference<ListenerConfig> config, ProxyServices services, ListenerStats stats) {
    this.config = config;
    this.services = services;
    this.stats = stats;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ListenerConfig c = config.get();
    AcceptGuard.addAcceptGuards(ch.pipeline(), c.name(), services, stats);
    addMqttTail(ch.pipeline(), c, services, stats);
  }

  /** Frame decoder → CONNECT handling; the relay replaces the latter once routed. */
  static void addMqttTail(
      ChannelPipeline pipeline, ListenerConfig config, ProxyServices services, ListenerStats stats) {
    pipeline
        .addLast(HandlerNames.FRAME_DECODER, new MqttFrameDecoder(config.maxPacketSize()))
        .addLast(HandlerNames.CONNECT, new ConnectHandler(config, services, stats));
  }
}

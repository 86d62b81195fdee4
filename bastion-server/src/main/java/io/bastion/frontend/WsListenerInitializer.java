package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** {@code protocol: ws}: MQTT in binary WebSocket frames over plain HTTP. */
final class WsListenerInitializer extends ListenerInitializer {

  WsListenerInitializer(
      AtomicReference<ListenerConfig> config, ProxyServices services, ListenerStats stats) {
    super(config, services, stats, null);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ListenerConfig c = config();
    if (addProxyProtocol(ch, c)) {
      addWebSocket(ch.pipeline(), c);
      addMqttTail(ch.pipeline(), c);
    }
  }
}

package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** {@code protocol: tcp}: MQTT straight on the socket. */
final class TcpListenerInitializer extends ListenerInitializer {

  TcpListenerInitializer(
      AtomicReference<ListenerConfig> config, ProxyServices services, ListenerStats stats) {
    super(config, services, stats, null);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ListenerConfig c = config();
    if (addProxyProtocol(ch, c)) {
      addMqttTail(ch.pipeline(), c);
    }
  }
}

package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** {@code protocol: tls}: MQTT inside TLS (port 8883 by convention). */
final class TlsListenerInitializer extends ListenerInitializer {

  TlsListenerInitializer(AtomicReference<ListenerConfig> config, ProxyServices services,
      ListenerStats stats, ServerTlsContext tls) {
    super(config, services, stats, tls);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ListenerConfig c = config();
    if (addProxyProtocol(ch, c)) {
      addTls(ch.pipeline(), c);
      addMqttTail(ch.pipeline(), c);
    }
  }
}

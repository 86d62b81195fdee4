package io.bastion.frontend;

import io.bastion.config.ListenerConfig;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** {@code protocol: wss}: MQTT in WebSocket frames inside TLS, as browsers on https pages need. */
final class WssListenerInitializer extends ListenerInitializer {

  WssListenerInitializer(AtomicReference<ListenerConfig> config, ProxyServices services,
      ListenerStats stats, ServerTlsContext tls) {
    super(config, services, stats, tls);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ListenerConfig c = config();
    if (addProxyProtocol(ch, c)) {
      addTls(ch.pipeline(), c);
      addWebSocket(ch.pipeline(), c);
      addMqttTail(ch.pipeline(), c);
    }
  }
}

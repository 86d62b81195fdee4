package io.bastion.frontend;

import io.bastion.Transport;
import io.bastion.config.ListenerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.bastion.tls.TlsProvider;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One bound listening socket. */
public final class Listener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private final AtomicReference<ListenerConfig> config;
  private final Channel serverChannel;
  private final ListenerStats stats;
  private final ServerTlsContext tls;

  private Listener(AtomicReference<ListenerConfig> config, Channel serverChannel,
      ListenerStats stats, ServerTlsContext tls) {
    this.config = config;
    this.serverChannel = serverChannel;
    this.stats = stats;
    this.tls = tls;
  }

  public static Listener bind(
      ListenerConfig config,
      ProxyServices services,
      Transport transport,
      EventLoopGroup boss,
      EventLoopGroup workers)
      throws InterruptedException {
    ListenerStats stats = new ListenerStats(config.name());
    AtomicReference<ListenerConfig> current = new AtomicReference<>(config);
    ServerTlsContext tls =
        config.protocol().tls() ? new ServerTlsContext(config.name(), config.tls()) : null;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(initializer(current, services, stats, tls));
    Channel channel =
        bootstrap.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
    Listener listener = new Listener(current, channel, stats, tls);
    LOG.info("listener {} ({}{}{}) on {}", config.name(), config.protocol().configName(),
        tls == null ? "" : ", TLS by " + TlsProvider.describe(),
        config.proxyProtocol() == null ? "" : ", PROXY protocol from " + config.proxyProtocol().trusted(),
        listener.address());
    return listener;
  }

  private static ListenerInitializer initializer(AtomicReference<ListenerConfig> config,
      ProxyServices services, ListenerStats stats, ServerTlsContext tls) {
    return switch (config.get().protocol()) {
      case TCP -> new TcpListenerInitializer(config, services, stats);
      case TLS -> new TlsListenerInitializer(config, services, stats, tls);
      case WS -> new WsListenerInitializer(config, services, stats);
      case WSS -> new WssListenerInitializer(config, services, stats, tls);
    };
  }

  public ListenerStats stats() {
    return stats;
  }

  public ListenerConfig config() {
    return config.get();
  }

  /**
   * Settings that need no new socket (timeouts, sizes, TLS, WebSocket, PROXY protocol) apply to
   * connections accepted from now on. Certificates are read again from disk even when the
   * settings are the same, which is how the reload signal renews them.
   */
  public void update(ListenerConfig next) {
    if (tls != null && next.tls() != null) {
      tls.reload(next.tls());
    }
    config.set(next);
  }

  /** Re-reads the certificates when their files changed on disk. */
  public void reloadCertificatesIfChanged() {
    if (tls != null) {
      tls.reloadIfChanged();
    }
  }

  public String name() {
    return config.get().name();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** Stops accepting; established sessions are not touched. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
  }
}

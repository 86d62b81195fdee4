package io.bastion.frontend;

import io.bastion.Transport;
import io.bastion.config.ListenerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One bound listening socket. */
public final class Listener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private final ListenerConfig config;
  private final Channel serverChannel;
  private final ListenerStats stats;

  private Listener(ListenerConfig config, Channel serverChannel, ListenerStats stats) {
    this.config = config;
    this.serverChannel = serverChannel;
    this.stats = stats;
  }

  public static Listener bind(
      ListenerConfig config,
      ProxyServices services,
      Transport transport,
      EventLoopGroup boss,
      EventLoopGroup workers)
      throws InterruptedException {
    ListenerStats stats = new ListenerStats(config.name());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(new TcpListenerInitializer(config, services, stats));
    Channel channel =
        bootstrap.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
    Listener listener = new Listener(config, channel, stats);
    LOG.info("listener {} (tcp) on {}", config.name(), listener.address());
    return listener;
  }

  public ListenerStats stats() {
    return stats;
  }

  public ListenerConfig config() {
    return config;
  }

  public String name() {
    return config.name();
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

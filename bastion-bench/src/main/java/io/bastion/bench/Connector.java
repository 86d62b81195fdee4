package io.bastion.bench;

import io.bastion.Transport;
import io.bastion.mqtt.MqttFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens load-generator connections: native epoll where it loads, the targets taken in turn, and
 * each connection bound to the next loopback source address (127.0.0.2, 127.0.0.3, …) so that tens
 * of thousands of connections to one port do not exhaust the ephemeral ports of a single address.
 */
final class Connector implements AutoCloseable {

  private final Transport transport = Transport.detect();
  private final EventLoopGroup group;
  private final List<InetSocketAddress> targets;
  private final InetAddress[] sources;
  private final SslContext ssl;
  private final AtomicInteger next = new AtomicInteger();

  Connector(CommonOptions options, SslContext ssl) {
    this.group = transport.newGroup(options.threads, "bench-io");
    this.targets = options.targets();
    this.sources = sourceAddresses(targets.get(0).getAddress(), options.sourceAddresses);
    this.ssl = ssl;
  }

  Transport transport() {
    return transport;
  }

  EventLoopGroup group() {
    return group;
  }

  /** Connects one client; failures to connect are reported through {@link LoadClient#fail}. */
  ChannelFuture connect(LoadClient client, int connectTimeoutMillis) {
    int n = next.getAndIncrement();
    InetSocketAddress target = targets.get(Math.floorMod(n, targets.size()));
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(transport.clientChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new MqttFrameDecoder(MqttWire.MAX_PACKET))
                        .addLast(client);
                  }
                });
    ChannelFuture f =
        sources == null
            ? b.connect(target)
            : b.connect(target, new InetSocketAddress(sources[Math.floorMod(n, sources.length)], 0));
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            client.fail("connect: " + done.cause());
          }
        });
    return f;
  }

  /**
   * 127.0.0.2 … for a loopback target; none (the kernel chooses) for another target or a count of
   * 0.
   */
  private static InetAddress[] sourceAddresses(InetAddress target, int count) {
    if (count <= 0 || !target.isLoopbackAddress() || target.getAddress().length != 4) {
      return null;
    }
    InetAddress[] a = new InetAddress[count];
    for (int i = 0; i < count; i++) {
      // 127.0.0.2 … 127.0.0.254, then 127.0.1.2 …
      byte[] ip = {127, 0, (byte) (i / 253), (byte) (2 + i % 253)};
      try {
        a[i] = InetAddress.getByAddress(ip);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return a;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}

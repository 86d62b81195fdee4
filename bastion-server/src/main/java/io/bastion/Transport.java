package io.bastion;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The socket implementation, chosen once at start: native epoll where it loads, NIO otherwise. */
public enum Transport {
  EPOLL,
  NIO;

  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  public static Transport detect() {
    if (!Boolean.getBoolean("bastion.nio") && Epoll.isAvailable()) {
      return EPOLL;
    }
    return NIO;
  }

  /** Detects and logs the choice and, for NIO, why epoll was not used. */
  public static Transport detectAndLog() {
    Transport t = detect();
    if (t == EPOLL) {
      LOG.info("transport: native epoll");
    } else {
      Throwable why = Epoll.unavailabilityCause();
      LOG.info("transport: NIO ({})", why == null ? "bastion.nio set" : why.toString());
    }
    return t;
  }

  public EventLoopGroup newGroup(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return this == EPOLL
        ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  public Class<? extends ServerSocketChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannel() {
    return this == EPOLL
        ? io.netty.channel.epoll.EpollDatagramChannel.class
        : io.netty.channel.socket.nio.NioDatagramChannel.class;
  }

  public Class<? extends SocketChannel> clientChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}

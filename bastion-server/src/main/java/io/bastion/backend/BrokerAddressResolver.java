package io.bastion.backend;

import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.net.InetSocketAddress;

/**
 * Resolves broker host names without blocking an event loop: Netty's asynchronous DNS resolver
 * (the system's resolv.conf servers and hosts file, answers cached for their TTL), one resolver
 * per event loop. Brokers given as IP literals never reach it.
 */
public final class BrokerAddressResolver {

  private BrokerAddressResolver() {}

  // holders: each group is built on first use, so NIO never touches the epoll classes
  private static final class Epoll {
    static final AddressResolverGroup<InetSocketAddress> GROUP = group(EpollDatagramChannel.class);
  }

  private static final class Nio {
    static final AddressResolverGroup<InetSocketAddress> GROUP = group(NioDatagramChannel.class);
  }

  /** The resolver group for bootstraps of the given socket channel type. */
  public static AddressResolverGroup<InetSocketAddress> forChannel(Class<? extends SocketChannel> channel) {
    return EpollSocketChannel.class.isAssignableFrom(channel) ? Epoll.GROUP : Nio.GROUP;
  }

  private static AddressResolverGroup<InetSocketAddress> group(Class<? extends DatagramChannel> datagram) {
    return new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(datagram));
  }
}

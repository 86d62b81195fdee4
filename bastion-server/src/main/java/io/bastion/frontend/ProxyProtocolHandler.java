package io.bastion.frontend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client's real address from the PROXY protocol header that a trusted balancer sent
 * (decoded by Netty's {@code HAProxyMessageDecoder} in front of it), puts it into the
 * connection's {@link ConnectionInfo}, and leaves the pipeline. A LOCAL header (the balancer's
 * own health check) keeps the socket's address.
 */
final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolHandler.class);

  private final String listener;
  private final ListenerStats stats;

  ProxyProtocolHandler(String listener, ListenerStats stats) {
    this.listener = listener;
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
        InetSocketAddress client =
            new InetSocketAddress(InetAddressParser.parse(header.sourceAddress()), header.sourcePort());
        ctx.channel().attr(ConnectionInfo.KEY)
            .set(ConnectionInfo.of(ctx.channel(), listener).withRemoteAddress(client));
      }
    } finally {
      header.release();
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof HAProxyProtocolException) {
      stats.proxyProtocolRejected();
      LOG.info("listener {}: bad or missing PROXY protocol header from {}: {}", listener,
          ctx.channel().remoteAddress(), cause.getMessage());
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  /** Header addresses are IP literals (the decoder checked them), so no name lookup happens. */
  private static final class InetAddressParser {
    static java.net.InetAddress parse(String literal) {
      byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(literal);
      try {
        return java.net.InetAddress.getByAddress(bytes);
      } catch (java.net.UnknownHostException e) {
        throw new HAProxyProtocolException("bad source address " + literal);
      }
    }
  }
}

package io.bastion.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker → client half of the relay. Packets arrive delimited, so Bastion can put its own
 * DISCONNECT between two of them at any time without corrupting the stream.
 */
public final class BrokerRelayHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerRelayHandler.class);

  private final Session session;
  private final Channel client;
  private final TrafficStats traffic;

  public BrokerRelayHandler(Session session) {
    this.session = session;
    this.client = session.client();
    this.traffic = session.traffic();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg;
    if (session.guard() != null && packet.getUnsignedByte(packet.readerIndex()) == 0x90) {
      packet = session.guard().onSuback(packet);
    }
    int size = packet.readableBytes();
    session.bytesOut += size;
    if (session.counters() != null) {
      session.counters().packetOut(packet.getUnsignedByte(packet.readerIndex()), size);
    }
    traffic.relayed(
        TrafficStats.Direction.BROKER_TO_CLIENT, packet.getUnsignedByte(packet.readerIndex()) >>> 4, size);
    client.write(packet, client.voidPromise());
    if (!client.isWritable() && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      traffic.paused(TrafficStats.Direction.BROKER_TO_CLIENT);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    client.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && !session.throttled()) {
      client.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("broker connection of {} failed", session.clientId(), cause);
    session.reason("broker connection error: " + cause.getMessage());
    ctx.close();
  }
}

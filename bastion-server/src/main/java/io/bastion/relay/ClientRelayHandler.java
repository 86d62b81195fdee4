package io.bastion.relay;

import io.bastion.detect.ClientCounters;
import io.bastion.detect.Denials;
import io.bastion.mqtt.MqttDecodeException;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.bastion.security.ClientGuard;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client → broker half of the relay. Forwards each packet as the frame decoder delimited it, flushes
 * once per read batch, and stops reading the client while the broker cannot take more.
 */
public final class ClientRelayHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ClientRelayHandler.class);
  private static final int CONNECT = PacketType.CONNECT.value();
  private static final int DISCONNECT = PacketType.DISCONNECT.value();
  private static final int PUBLISH = PacketType.PUBLISH.value();
  private static final int PUBREL = PacketType.PUBREL.value();
  private static final int SUBSCRIBE = PacketType.SUBSCRIBE.value();
  private static final int UNSUBSCRIBE = PacketType.UNSUBSCRIBE.value();

  private final Session session;
  private final Channel broker;
  private final TrafficStats traffic;
  private final ClientGuard guard;
  private final ClientCounters counters;
  private boolean answered;
  private long resumeAt;

  public ClientRelayHandler(Session session) {
    this.session = session;
    this.broker = session.brokerChannel();
    this.traffic = session.traffic();
    this.guard = session.guard();
    this.counters = session.counters();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg;
    if (session.closing()) {
      packet.release();
      return;
    }
    int type = packet.getUnsignedByte(packet.readerIndex()) >>> 4;
    if (type == CONNECT) {
      packet.release();
      session.disconnect(ReasonCode.PROTOCOL_ERROR, "second CONNECT");
      return;
    }
    if (type == DISCONNECT) {
      session.reason("client disconnected");
    }
    long pause = 0;
    int restriction = counters == null ? ClientCounters.FREE : counters.restriction();
    if (restriction == ClientCounters.DENIED && (type == PUBLISH || type == SUBSCRIBE)) {
      Denials.answer(packet, type, session.protocolLevel(), ctx.channel());
      answered = true;
      return;
    }
    if (guard != null) {
      if (type == PUBLISH) {
        ClientGuard.Action action = guard.onPublish(packet, ctx.channel());
        if (action == ClientGuard.Action.DROP) {
          if (counters != null) {
            counters.aclDenied();
          }
          answered = true;
          return;
        } else if (action == ClientGuard.Action.DISCONNECT) {
          session.disconnect(guard.disconnectCode(), guard.disconnectWhy());
          return;
        }
        pause = guard.pauseNanos();
      } else if (type == SUBSCRIBE) {
        packet = guard.onSubscribe(packet, ctx.channel());
        if (packet == null) {
          if (counters != null) {
            counters.aclDenied();
          }
          answered = true;
          return;
        }
      } else if (type == UNSUBSCRIBE) {
        guard.onUnsubscribe(packet);
      } else if (type == PUBREL && guard.onPubrel(packet, ctx.channel())) {
        answered = true;
        return;
      }
    }
    int size = packet.readableBytes();
    session.bytesIn += size;
    if (counters != null) {
      counters.packetIn(packet, type, size);
      if (restriction == ClientCounters.THROTTLED && type == PUBLISH) {
        pause = Math.max(pause, counters.throttlePauseNanos());
      }
    }
    traffic.relayed(TrafficStats.Direction.CLIENT_TO_BROKER, type, size);
    broker.write(packet, broker.voidPromise());
    if (!broker.isWritable() && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      traffic.paused(TrafficStats.Direction.CLIENT_TO_BROKER);
    }
    if (pause > 0) {
      pauseFor(ctx, pause);
    }
  }

  /**
   * Stops reading a client that publishes over its rate until its bucket has refilled: what it
   * sends meanwhile waits in its own socket buffers, not in Bastion's memory.
   */
  private void pauseFor(ChannelHandlerContext ctx, long nanos) {
    resumeAt = Math.max(resumeAt, System.nanoTime() + nanos);
    if (session.throttled()) {
      return;
    }
    session.throttled(true);
    ctx.channel().config().setAutoRead(false);
    if (guard != null && guard.pauseNanos() > 0) {
      guard.paused(nanos);
    }
    ctx.executor().schedule(() -> resume(ctx), nanos, TimeUnit.NANOSECONDS);
  }

  private void resume(ChannelHandlerContext ctx) {
    long left = resumeAt - System.nanoTime();
    if (left > 0) {
      ctx.executor().schedule(() -> resume(ctx), left, TimeUnit.NANOSECONDS);
      return;
    }
    session.throttled(false);
    if (broker.isWritable() && !session.closing()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    broker.flush();
    if (answered) {
      answered = false;
      ctx.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      broker.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      session.disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "keepalive timeout");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof MqttDecodeException bad) {
      if (counters != null) {
        counters.malformed();
      }
      session.disconnect(bad.reasonCode(), "bad packet: " + bad.getMessage());
    } else if (c instanceof IOException) {
      session.reason("client connection error: " + c.getMessage());
      ctx.close();
      session.brokerChannel().close();
    } else {
      LOG.warn("closing session of {} after unexpected error", session.clientId(), c);
      session.disconnect(ReasonCode.UNSPECIFIED_ERROR, "internal error: " + c);
    }
  }
}

package io.bastion.bench;

import io.bastion.mqtt.ClientPackets;
import io.bastion.mqtt.MqttMessages;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT 3.1.1 client connection of the load generator. It sends CONNECT as soon as the channel
 * is active, answers QoS 1 deliveries with PUBACK, sends PINGREQ while idle and reports what
 * happens to its scenario through the {@code on…} hooks, which run on the channel's event loop.
 */
abstract class LoadClient extends ChannelInboundHandlerAdapter {

  final String clientId;
  private final int keepAliveSeconds;
  ChannelHandlerContext ctx;
  private boolean connected;
  private boolean reported;
  private ScheduledFuture<?> pinger;

  LoadClient(String clientId, int keepAliveSeconds) {
    this.clientId = clientId;
    this.keepAliveSeconds = keepAliveSeconds;
  }

  /** CONNACK with return code 0. */
  abstract void onConnected();

  /** The connection ended before a CONNACK "accepted", or CONNACK refused it; called once. */
  abstract void onFailed(String why);

  void onSubscribed() {}

  /** A PUBLISH delivered by the broker; {@code payload} is its payload index in {@code packet}. */
  void onMessage(ByteBuf packet, int payload, int payloadLength) {}

  void onPubAck() {}

  /** The connection closed after it had been accepted. */
  void onClosed() {}

  /** Flush point: the end of one read batch. */
  void onReadComplete() {}

  boolean isConnected() {
    return connected;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // with TLS, SslHandler queues this until the handshake is done
    ctx.writeAndFlush(MqttMessages.connect(ctx.alloc(), clientId, keepAliveSeconds), ctx.voidPromise());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg;
    try {
      switch (MqttWire.type(packet)) {
        case MqttWire.PUBLISH -> publish(packet);
        case MqttWire.PUBACK -> onPubAck();
        case MqttWire.CONNACK -> connack(packet);
        case MqttWire.SUBACK -> onSubscribed();
        default -> {
          // PINGRESP and anything else: nothing to do
        }
      }
    } finally {
      packet.release();
    }
  }

  private void connack(ByteBuf packet) {
    int code = packet.getUnsignedByte(packet.readerIndex() + 3);
    if (code != 0) {
      fail("CONNACK return code " + code);
      ctx.close();
      return;
    }
    connected = true;
    if (keepAliveSeconds > 0) {
      long period = Math.max(1, keepAliveSeconds * 750L);
      pinger = ctx.executor().scheduleAtFixedRate(
          () -> ctx.writeAndFlush(ClientPackets.pingreq(ctx.alloc()), ctx.voidPromise()),
          period, period, TimeUnit.MILLISECONDS);
    }
    onConnected();
  }

  private void publish(ByteBuf packet) {
    int first = packet.getUnsignedByte(packet.readerIndex());
    int qos = (first >> 1) & 0x03;
    int variable = MqttWire.variableHeaderIndex(packet);
    int topicLength = packet.getUnsignedShort(variable);
    int payload = variable + 2 + topicLength + (qos > 0 ? 2 : 0);
    if (qos > 0) {
      int packetId = packet.getUnsignedShort(variable + 2 + topicLength);
      ctx.write(ClientPackets.puback(ctx.alloc(), packetId), ctx.voidPromise());
    }
    onMessage(packet, payload, packet.writerIndex() - payload);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    onReadComplete();
    ctx.flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      fail("TLS handshake: " + done.cause());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (connected) {
      onClosed();
    } else {
      fail("closed before CONNACK");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!connected) {
      fail(cause.toString());
    }
    ctx.close();
  }

  /** Reports a failure once, then closes. */
  void fail(String why) {
    if (!reported && !connected) {
      reported = true;
      onFailed(why);
    }
  }

  /** Sends DISCONNECT and closes. */
  void disconnect() {
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(MqttMessages.disconnectV311(ctx.alloc()))
          .addListener(f -> ctx.close());
    }
  }
}

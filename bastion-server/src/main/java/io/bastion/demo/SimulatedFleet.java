package io.bastion.demo;

import io.bastion.config.ListenerConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.mqtt.MqttMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A handful of MQTT devices for the demo: each connects through Bastion, subscribes to its own
 * topics and publishes telemetry every few hundred milliseconds; a device that is disconnected
 * (drain, broker stop) reconnects after a short pause, so the dashboard shows sessions moving.
 */
public final class SimulatedFleet implements AutoCloseable {

  private static final int KEEPALIVE_SECONDS = 30;

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final String host;
  private final int port;
  private final List<Device> devices = new ArrayList<>();
  private volatile boolean closed;

  public SimulatedFleet(
      EventLoopGroup group, Class<? extends SocketChannel> channelClass, String host, int port) {
    this.group = group;
    this.channelClass = channelClass;
    this.host = host;
    this.port = port;
  }

  public void start(int count, long publishEveryMillis) {
    for (int i = 1; i <= count; i++) {
      Device d = new Device(String.format("demo-device-%02d", i), publishEveryMillis);
      devices.add(d);
      d.connect();
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Device d : devices) {
      Channel c = d.channel;
      if (c != null) {
        c.writeAndFlush(MqttMessages.disconnectV311(c.alloc())).addListener(f -> c.close());
      }
    }
  }

  private final class Device extends ChannelInboundHandlerAdapter {
    private final String clientId;
    private final long publishEveryMillis;
    private volatile Channel channel;
    private int sequence;

    Device(String clientId, long publishEveryMillis) {
      this.clientId = clientId;
      this.publishEveryMillis = publishEveryMillis;
    }

    void connect() {
      if (closed) {
        return;
      }
      Device self = this;
      new Bootstrap().group(group).channel(channelClass)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new MqttFrameDecoder(ListenerConfig.MQTT_MAX_PACKET_SIZE), self);
            }
          })
          .connect(host, port)
          .addListener(f -> {
            if (!f.isSuccess()) {
              retryLater();
            }
          });
    }

    private void retryLater() {
      if (!closed) {
        long delay = 500 + ThreadLocalRandom.current().nextLong(1500);
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public boolean isSharable() {
      return true; // one device, one channel at a time
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      ctx.write(MqttMessages.connect(ctx.alloc(), clientId, KEEPALIVE_SECONDS));
      // its own topics: commands, and its telemetry echoed back, so traffic flows both ways
      ctx.writeAndFlush(subscribe(ctx.alloc(), "demo/devices/" + clientId + "/#"));
      scheduleTelemetry(ctx);
      schedulePing(ctx);
    }

    /** Telemetry alone keeps the session alive; PINGREQ covers long publish intervals. */
    private void schedulePing(ChannelHandlerContext ctx) {
      ctx.executor().schedule(() -> {
        if (ctx.channel().isActive()) {
          ctx.writeAndFlush(ctx.alloc().buffer(2).writeByte(0xC0).writeByte(0));
          schedulePing(ctx);
        }
      }, KEEPALIVE_SECONDS / 2, TimeUnit.SECONDS);
    }

    private void scheduleTelemetry(ChannelHandlerContext ctx) {
      long jitter = ThreadLocalRandom.current().nextLong(publishEveryMillis / 2 + 1);
      ctx.executor().schedule(() -> {
        if (!ctx.channel().isActive()) {
          return;
        }
        String payload = "{\"seq\":" + sequence++ + ",\"temperature\":"
            + (20 + ThreadLocalRandom.current().nextInt(10)) + "}";
        ctx.writeAndFlush(publish(ctx.alloc(), "demo/devices/" + clientId + "/telemetry", payload));
        scheduleTelemetry(ctx);
      }, publishEveryMillis + jitter, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg); // CONNACK, SUBACK, PINGRESP: nothing to do
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      channel = null;
      retryLater();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** MQTT 3.1.1 SUBSCRIBE, packet id 1, QoS 0. */
  static ByteBuf subscribe(ByteBufAllocator alloc, String filter) {
    byte[] f = filter.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = alloc.buffer(7 + f.length);
    b.writeByte(0x82);
    writeLength(b, 2 + 2 + f.length + 1);
    b.writeShort(1).writeShort(f.length).writeBytes(f).writeByte(0);
    return b;
  }

  /** MQTT 3.1.1 PUBLISH at QoS 0. */
  static ByteBuf publish(ByteBufAllocator alloc, String topic, String payload) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = alloc.buffer(7 + t.length + p.length);
    b.writeByte(0x30);
    writeLength(b, 2 + t.length + p.length);
    b.writeShort(t.length).writeBytes(t).writeBytes(p);
    return b;
  }

  private static void writeLength(ByteBuf b, int length) {
    do {
      int digit = length % 128;
      length /= 128;
      b.writeByte(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }
}

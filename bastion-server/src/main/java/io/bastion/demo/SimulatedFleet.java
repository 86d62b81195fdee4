package io.bastion.demo;

import io.bastion.config.ListenerConfig;
import io.bastion.mqtt.ClientPackets;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.mqtt.MqttMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
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
  private final List<InetSocketAddress> addresses;
  private final List<Device> devices = new ArrayList<>();
  private volatile boolean closed;

  public SimulatedFleet(
      EventLoopGroup group, Class<? extends SocketChannel> channelClass, String host, int port) {
    this.group = group;
    this.channelClass = channelClass;
    this.addresses = List.of(InetSocketAddress.createUnresolved(host, port));
  }

  /**
   * Devices spread over several Bastion nodes, as DNS round robin would spread them; a device
   * whose node is gone tries the next one.
   */
  public SimulatedFleet(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
      List<InetSocketAddress> addresses) {
    this.group = group;
    this.channelClass = channelClass;
    this.addresses = List.copyOf(addresses);
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
    private final byte[] telemetryTopic;
    private volatile Channel channel;
    private int sequence;
    private int attempts;

    Device(String clientId, long publishEveryMillis) {
      this.clientId = clientId;
      this.attempts = devices.size();
      this.publishEveryMillis = publishEveryMillis;
      this.telemetryTopic =
          ("demo/devices/" + clientId + "/telemetry").getBytes(StandardCharsets.UTF_8);
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
          .connect(next())
          .addListener(f -> {
            if (!f.isSuccess()) {
              attempts++;
              retryLater();
            }
          });
    }

    private InetSocketAddress next() {
      InetSocketAddress a = addresses.get(Math.floorMod(attempts, addresses.size()));
      return new InetSocketAddress(a.getHostString(), a.getPort());
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
      ctx.writeAndFlush(ClientPackets.subscribe(ctx.alloc(), 1, "demo/devices/" + clientId + "/#", 0));
      scheduleTelemetry(ctx);
      schedulePing(ctx);
    }

    /** Telemetry alone keeps the session alive; PINGREQ covers long publish intervals. */
    private void schedulePing(ChannelHandlerContext ctx) {
      ctx.executor().schedule(() -> {
        if (ctx.channel().isActive()) {
          ctx.writeAndFlush(ClientPackets.pingreq(ctx.alloc()));
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
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        ctx.writeAndFlush(ClientPackets.publishHeader(ctx.alloc(), telemetryTopic, 0, 0, body.length)
            .writeBytes(body));
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
      attempts++; // the next node, as a client behind DNS round robin would pick another address
      retryLater();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}

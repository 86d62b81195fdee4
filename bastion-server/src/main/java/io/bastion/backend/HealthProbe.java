package io.bastion.backend;

import io.bastion.config.HealthConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.mqtt.MqttMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actively checks one broker the way a client would: TCP connect, MQTT 3.1.1 CONNECT with a probe
 * client id, CONNACK "accepted", DISCONNECT. A broker goes down after {@code fall} failures in a
 * row and comes back after {@code rise} successes in a row.
 */
final class HealthProbe {

  private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);
  private static final int PROBE_MAX_PACKET = 64 * 1024;

  private final Broker broker;
  private final HealthConfig config;
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final String probeClientId;
  private final java.util.function.Supplier<BrokerLink> link;

  // touched only by the probe's event loop
  private int successes;
  private int failures;
  private boolean everUp;
  private ScheduledFuture<?> next;
  private volatile boolean stopped;

  HealthProbe(
      Broker broker,
      HealthConfig config,
      EventLoopGroup group,
      Class<? extends SocketChannel> channelClass,
      String probeClientId,
      java.util.function.Supplier<BrokerLink> link) {
    this.link = link;
    this.broker = broker;
    this.config = config;
    this.group = group;
    this.channelClass = channelClass;
    this.probeClientId = probeClientId;
    this.everUp = broker.healthy();
  }

  void start() {
    // spread probes of many brokers over the interval instead of firing all at once; a broker
    // that has not been probed yet is waiting to take traffic, so it goes first
    long jitter = broker.healthy() ? (long) (Math.random() * config.interval().toMillis() / 4) : 0;
    next = group.next().schedule(this::probe, jitter, TimeUnit.MILLISECONDS);
  }

  void stop() {
    stopped = true;
    ScheduledFuture<?> n = next;
    if (n != null) {
      n.cancel(false);
    }
  }

  private void probe() {
    if (stopped) {
      return;
    }
    Promise<Void> result = group.next().newPromise();
    long started = System.nanoTime();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelClass)
            .resolver(BrokerAddressResolver.forChannel(channelClass))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.timeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // the same PROXY header and TLS as sessions: the broker expects them
                    link.get().addTo(ch.pipeline(), broker, null, null);
                    ch.pipeline()
                        .addLast(new MqttFrameDecoder(PROBE_MAX_PACKET), new ConnackReader(result));
                  }
                });
    ChannelFuture connect = bootstrap.connect(broker.address());
    Channel channel = connect.channel();
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.tryFailure(f.cause());
          } else {
            channel.writeAndFlush(
                MqttMessages.connect(channel.alloc(), probeClientId, 0));
          }
        });
    ScheduledFuture<?> timeout =
        channel
            .eventLoop()
            .schedule(
                () -> result.tryFailure(new ProbeFailure("no CONNACK within " + config.timeout())),
                config.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    result.addListener(
        f -> {
          timeout.cancel(false);
          if (channel.isActive()) {
            channel.writeAndFlush(MqttMessages.disconnectV311(channel.alloc()));
          }
          channel.close();
          if (f.isSuccess()) {
            broker.probeSucceeded(System.nanoTime() - started);
          }
          record(f.isSuccess(), f.isSuccess() ? null : f.cause());
          if (!stopped) {
            next = group.next().schedule(this::probe, config.interval().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  private void record(boolean ok, Throwable cause) {
    if (ok) {
      failures = 0;
      // a broker never seen up is new, not recovering: its first good probe is enough
      if (!broker.healthy() && (++successes >= config.rise() || !everUp)) {
        broker.setHealthy(true);
        everUp = true;
        LOG.info("broker {} is up", broker);
      }
    } else {
      successes = 0;
      if (broker.healthy() && ++failures >= config.fall()) {
        broker.setHealthy(false);
        LOG.warn("broker {} is down: {}", broker, describe(cause));
      }
    }
  }

  private static String describe(Throwable cause) {
    return cause == null ? "unknown" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Completes the probe on the broker's first reply. */
  private static final class ConnackReader extends SimpleChannelInboundHandler<ByteBuf> {
    private final Promise<Void> result;

    ConnackReader(Promise<Void> result) {
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf packet) {
      int code = MqttMessages.connackReturnCode(packet);
      if (code == 0) {
        result.trySuccess(null);
      } else {
        result.tryFailure(new ProbeFailure(code < 0 ? "reply is not a CONNACK" : "CONNACK code " + code));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.tryFailure(new ProbeFailure("connection closed before CONNACK"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.tryFailure(cause);
    }
  }

  /** A probe failure is routine: no stack trace. */
  private static final class ProbeFailure extends Exception {
    ProbeFailure(String message) {
      super(message, null, false, false);
    }
  }
}

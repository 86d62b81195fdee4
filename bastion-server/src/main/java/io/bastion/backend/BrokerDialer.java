package io.bastion.backend;

import io.bastion.config.ListenerConfig;
import io.bastion.mqtt.MqttFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens one connection to one broker on the client's own event loop (no cross-thread hand-off)
 * and reports its first reply. The failover loop belongs to the caller, which knows what to send.
 */
public final class BrokerDialer {

  /** Names of the handlers on a broker channel. */
  public static final String FRAME_DECODER = "broker-frame-decoder";

  private static final String FIRST_REPLY = "broker-first-reply";

  private final Class<? extends SocketChannel> channelClass;

  public BrokerDialer(Class<? extends SocketChannel> channelClass) {
    this.channelClass = channelClass;
  }

  /** What the caller does at each step of one attempt. Every method runs on {@code loop}. */
  public interface Attempt {

    /** TCP is up: send the CONNECT. */
    void opened(Channel broker);

    /** The broker answered; the packet's ownership passes to the callee. */
    void replied(Channel broker, ByteBuf firstPacket);

    /**
     * The attempt failed.
     *
     * @param brokerFault the broker did not answer at all (refused or timed out), which counts
     *     towards passive ejection; a broker that closed the connection after reading the CONNECT
     *     may have judged the client, so that does not count
     */
    void failed(String reason, boolean brokerFault);
  }

  /**
   * @param client the client's real address, for a PROXY protocol header
   * @param via the address the client connected to
   */
  public void dial(EventLoop loop, BrokerPool pool, Broker broker, SocketAddress client,
      SocketAddress via, Attempt attempt) {
    Duration timeout = pool.config().connectTimeout();
    BrokerLink link = pool.link();
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    FirstReply firstReply = new FirstReply(attempt);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .resolver(BrokerAddressResolver.forChannel(channelClass))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    link.addTo(ch.pipeline(), broker, client, via);
                    ch.pipeline()
                        .addLast(
                            FRAME_DECODER,
                            new MqttFrameDecoder(ListenerConfig.MQTT_MAX_PACKET_SIZE))
                        .addLast(FIRST_REPLY, firstReply);
                  }
                });
    ChannelFuture connect = bootstrap.connect(broker.address());
    Channel channel = connect.channel();
    firstReply.timeout =
        loop.schedule(
            () -> {
              if (firstReply.finish()) {
                channel.close();
                attempt.failed("no reply within " + timeoutMillis + " ms", true);
              }
            },
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            if (firstReply.finish()) {
              attempt.failed(describe(f.cause()), true);
            }
          } else if (!firstReply.done) {
            attempt.opened(channel);
          }
        });
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** Waits for the broker's first packet, then leaves the pipeline to the relay. */
  private static final class FirstReply extends ChannelInboundHandlerAdapter {
    private final Attempt attempt;
    ScheduledFuture<?> timeout;
    boolean done;

    FirstReply(Attempt attempt) {
      this.attempt = attempt;
    }

    /** Ends the attempt once; false when it had already ended. */
    boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      if (timeout != null) {
        timeout.cancel(false);
      }
      return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (finish()) {
        ctx.pipeline().remove(this);
        attempt.replied(ctx.channel(), (ByteBuf) msg);
      } else {
        ((ByteBuf) msg).release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (finish()) {
        attempt.failed("broker closed the connection before CONNACK", false);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
      if (finish()) {
        attempt.failed(describe(cause), true);
      }
    }
  }
}

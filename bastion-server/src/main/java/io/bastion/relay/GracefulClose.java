package io.bastion.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Ends a client connection so that Bastion's last packet (a CONNACK or DISCONNECT with a reason)
 * actually arrives. Closing a socket that still has unread input makes the kernel send a reset,
 * which throws away what was just written; so Bastion half-closes, keeps reading and discarding
 * for a moment, and closes after the client has gone or the linger time has passed.
 */
public final class GracefulClose {

  static final long LINGER_MILLIS = 1000;

  private GracefulClose() {}

  /** Writes {@code lastPacket} (may be null) and closes. Must run on the channel's event loop. */
  public static void close(Channel channel, ByteBuf lastPacket) {
    if (!channel.isActive()) {
      if (lastPacket != null) {
        lastPacket.release();
      }
      channel.close();
      return;
    }
    ChannelFuture written =
        lastPacket == null ? channel.newSucceededFuture() : channel.writeAndFlush(lastPacket);
    written.addListener(
        f -> {
          if (f.isSuccess() && channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput();
            channel.config().setAutoRead(true);
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
          } else {
            channel.close();
          }
        });
  }
}

package io.bastion.frontend;

import io.bastion.security.Blocklist;
import io.bastion.security.ConnectionLimiter;
import io.bastion.security.SecurityEvent;
import io.bastion.security.SecurityEvents;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * Connection limits at accept, before any TLS or MQTT work: the first handler of every client
 * pipeline. Counts the connection (released when it closes) or closes it at once, then leaves the
 * pipeline. Addresses on the allowlist are not limited.
 */
@ChannelHandler.Sharable
public final class AcceptGuard extends ChannelInboundHandlerAdapter {

  private final String listener;
  private final ConnectionLimiter limiter;
  private final Blocklist allowlist;
  private final SecurityEvents events;
  private final ListenerStats stats;

  private AcceptGuard(String listener, ConnectionLimiter limiter, Blocklist allowlist,
      SecurityEvents events, ListenerStats stats) {
    this.listener = listener;
    this.limiter = limiter;
    this.allowlist = allowlist;
    this.events = events;
    this.stats = stats;
  }

  /**
   * Puts the accept-time checks at the head of a new client channel's pipeline. Every listener
   * kind's initializer calls this first, before TLS or WebSocket handlers.
   */
  public static void addAcceptGuards(ChannelPipeline pipeline, String listener,
      ProxyServices services, ListenerStats stats) {
    ConnectionLimiter limiter = services.limiter();
    if (limiter != null) {
      pipeline.addFirst(HandlerNames.ACCEPT_GUARD,
          new AcceptGuard(listener, limiter, services.allowlist(), services.events(), stats));
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    ctx.pipeline().remove(this);
    if (!(ch.remoteAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) {
      ctx.fireChannelActive();
      return;
    }
    InetAddress address = remote.getAddress();
    if (allowlist != null && allowlist.match(address, null, null, null) != null) {
      ctx.fireChannelActive();
      return;
    }
    ConnectionLimiter.Outcome outcome = limiter.admit(address);
    if (outcome == ConnectionLimiter.Outcome.ACCEPTED) {
      ch.closeFuture().addListener(f -> limiter.release(address));
      ctx.fireChannelActive();
      return;
    }
    Refusal refusal = switch (outcome) {
      case TOO_MANY_CONNECTIONS -> Refusal.CONNECTION_LIMIT;
      case TOO_MANY_FROM_ADDRESS -> Refusal.CONNECTION_LIMIT_PER_IP;
      case ADDRESS_RATE -> Refusal.CONNECTION_RATE_PER_IP;
      default -> Refusal.CONNECTION_RATE_PER_SUBNET;
    };
    stats.refused(refusal);
    events.report(new SecurityEvent(Instant.now(), "refused", refusal.label(), listener,
        address.getHostAddress(), null, "closed at accept"));
    ch.close();
  }
}

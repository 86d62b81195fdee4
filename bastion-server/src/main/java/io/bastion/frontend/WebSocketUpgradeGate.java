package io.bastion.frontend;

import io.bastion.config.WebSocketConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import io.bastion.routing.Glob;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only a WebSocket upgrade on the configured path from an allowed Origin (globs such
 * as {@code https://*.example.com}; clients that send no Origin are not browsers and pass); anything
 * else gets a 4xx answer, is closed and counted. Leaves the pipeline after the first request, which
 * Netty's WebSocket handler behind it turns into the handshake.
 */
final class WebSocketUpgradeGate extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeGate.class);

  private final String listener;
  private final WebSocketConfig config;
  private final ListenerStats stats;
  private final Pattern allowedOrigins;

  WebSocketUpgradeGate(String listener, WebSocketConfig config, ListenerStats stats) {
    this.listener = listener;
    this.config = config;
    this.stats = stats;
    this.allowedOrigins = config.allowedOrigins().isEmpty() ? null : Pattern.compile(
        config.allowedOrigins().stream().map(Glob::toRegex).collect(Collectors.joining("|")),
        Pattern.CASE_INSENSITIVE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HttpResponseStatus refusal = check(request);
    if (refusal == null) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(request);
      return;
    }
    stats.websocketRejected();
    LOG.info("listener {}: refused HTTP {} {} from {}: {}", listener, request.method(), request.uri(),
        ctx.channel().remoteAddress(), refusal);
    request.release();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal,
        Unpooled.copiedBuffer(refusal.reasonPhrase() + "\n", StandardCharsets.US_ASCII));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Null when the request may become a WebSocket, else the status to answer with. */
  private HttpResponseStatus check(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    if (!new QueryStringDecoder(request.uri()).path().equals(config.path())) {
      return HttpResponseStatus.NOT_FOUND;
    }
    if (!request.method().equals(HttpMethod.GET)) {
      return HttpResponseStatus.METHOD_NOT_ALLOWED;
    }
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
    if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).equals("websocket")) {
      return HttpResponseStatus.BAD_REQUEST; // a plain HTTP request: this port speaks MQTT
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    // only browsers send Origin, and only they need protecting from other sites' pages
    if (origin != null && allowedOrigins != null && !allowedOrigins.matcher(origin).matches()) {
      return HttpResponseStatus.FORBIDDEN;
    }
    return null;
  }
}

package io.bastion.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin HTTP request: token check, then the dashboard's static files or the API. API work runs
 * on a separate executor because a reload binds sockets and reads files.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

  private final AdminApi api;
  private final StaticFiles files;
  private final byte[] token;
  private final Executor work;

  AdminHttpHandler(AdminApi api, StaticFiles files, String token, Executor work) {
    this.api = api;
    this.files = files;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.work = work;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
    boolean keepAlive = HttpUtil.isKeepAlive(http);
    if (!http.decoderResult().isSuccess()) {
      write(ctx, api.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(http.uri());
    List<String> path = Arrays.stream(uri.path().split("/")).filter(s -> !s.isEmpty()).toList();
    Request request = new Request(http.method(), path, uri.parameters(),
        http.content().toString(StandardCharsets.UTF_8));
    if (http.method().equals(HttpMethod.GET) && files.serves(path)) {
      write(ctx, files.get(path), keepAlive);
      return;
    }
    if (!AdminApi.isPublic(request) && !authorized(http)) {
      Response denied = api.error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token");
      write(ctx, denied, keepAlive);
      return;
    }
    work.execute(() -> {
      Response response;
      try {
        response = api.handle(request);
      } catch (HttpError e) {
        response = api.error(e.status(), e.getMessage());
      } catch (IllegalArgumentException e) {
        response = api.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("admin request {} {} failed", request.method(), http.uri(), e);
        response = api.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
      }
      Response r = response;
      ctx.executor().execute(() -> write(ctx, r, keepAlive));
    });
  }

  private boolean authorized(FullHttpRequest http) {
    if (token == null) {
      return true;
    }
    String header = http.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // constant time, so the token cannot be guessed byte by byte from response times
    return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static void write(ChannelHandlerContext ctx, Response r, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(r.body()));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    if (r.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"bastion\"");
    }
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("admin connection failed", cause);
    ctx.close();
  }
}

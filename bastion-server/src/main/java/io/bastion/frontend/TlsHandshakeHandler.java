package io.bastion.frontend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the TLS handshake, records the SNI name and the verified client certificate in the
 * connection's {@link ConnectionInfo}, counts the outcome, and leaves the pipeline. A failed
 * handshake ends only its own connection.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeHandler.class);

  private final String listener;
  private final ListenerStats stats;
  private String serverName;
  private boolean failed;

  TlsHandshakeHandler(String listener, ListenerStats stats) {
    this.listener = listener;
    this.stats = stats;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SniCompletionEvent sni) {
      serverName = sni.hostname();
    } else if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        succeeded(ctx);
      } else {
        fail();
        LOG.debug("listener {}: TLS handshake with {} failed: {}", listener,
            ctx.channel().remoteAddress(), done.cause().toString());
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void succeeded(ChannelHandlerContext ctx) {
    stats.tlsHandshakeSucceeded();
    ConnectionInfo.ClientCertificate identity = null;
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    try {
      Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
        identity = ClientCertificates.identity(leaf); // the engine verified it against client-ca
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate (client-auth none or optional)
    }
    ConnectionInfo info = ConnectionInfo.of(ctx.channel(), listener).withTls(serverName, identity);
    ctx.channel().attr(ConnectionInfo.KEY).set(info);
    ctx.pipeline().remove(this);
  }

  /** Errors before the handshake completed (a client that does not speak TLS, say) fail it. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail();
    LOG.debug("listener {}: TLS error from {}: {}", listener, ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  private void fail() {
    if (!failed) {
      failed = true;
      stats.tlsHandshakeFailed();
    }
  }
}

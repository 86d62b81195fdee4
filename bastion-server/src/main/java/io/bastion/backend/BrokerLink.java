package io.bastion.backend;

import io.bastion.config.BrokerTlsConfig;
import io.bastion.config.PemFiles;
import io.bastion.config.PoolConfig;
import io.bastion.tls.TlsProvider;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * How Bastion's connections to a pool's brokers start, below MQTT: optionally a PROXY protocol v2
 * header with the client's address, then optionally TLS. Built once per pool configuration.
 */
public final class BrokerLink {

  public static final String PROXY_ENCODER = "broker-proxy-encoder";
  public static final String PROXY_HEADER = "broker-proxy-header";
  public static final String TLS = "broker-tls";

  static final BrokerLink PLAIN = new BrokerLink(false, null, false);

  private final boolean proxyProtocol;
  private final SslContext tls;
  private final boolean verifyHostname;

  private BrokerLink(boolean proxyProtocol, SslContext tls, boolean verifyHostname) {
    this.proxyProtocol = proxyProtocol;
    this.tls = tls;
    this.verifyHostname = verifyHostname;
  }

  /**
   * @throws IllegalStateException when the TLS material cannot be loaded (the config check read
   *     it, so the files changed since)
   */
  static BrokerLink of(PoolConfig pool) {
    BrokerTlsConfig t = pool.tls();
    if (!pool.proxyProtocolOut() && t == null) {
      return PLAIN;
    }
    return new BrokerLink(pool.proxyProtocolOut(), t == null ? null : clientContext(pool.name(), t),
        t != null && t.verifyHostname());
  }

  private static SslContext clientContext(String pool, BrokerTlsConfig t) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(TlsProvider.choose());
      if (t.ca() != null) {
        builder.trustManager(PemFiles.certificates(t.ca()).toArray(X509Certificate[]::new));
      }
      if (t.cert() != null) {
        builder.keyManager(PemFiles.privateKey(t.key(), t.keyPassword()),
            PemFiles.certificates(t.cert()).toArray(X509Certificate[]::new));
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("pool " + pool + ": cannot set up TLS to the brokers: " + e.getMessage(), e);
    }
  }

  /**
   * Adds the layers below MQTT to a new broker channel.
   *
   * @param client the client's real address, or null for Bastion's own connections (health
   *     probes), which send a PROXY "LOCAL" header
   * @param via the address the client connected to
   */
  void addTo(ChannelPipeline pipeline, Broker broker, SocketAddress client, SocketAddress via) {
    if (proxyProtocol) {
      pipeline
          .addLast(PROXY_ENCODER, HAProxyMessageEncoder.INSTANCE)
          .addLast(PROXY_HEADER, new HeaderWriter(header(client, via)));
    }
    if (tls != null) {
      InetSocketAddress address = broker.address();
      SslHandler ssl = tls.newHandler(pipeline.channel().alloc(), broker.host(), address.getPort());
      if (verifyHostname) {
        SSLEngine engine = ssl.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
      }
      pipeline.addLast(TLS, ssl);
    }
  }

  static HAProxyMessage header(SocketAddress client, SocketAddress via) {
    if (!(client instanceof InetSocketAddress source) || source.getAddress() == null) {
      return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
          HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
    }
    boolean v6 = source.getAddress() instanceof Inet6Address;
    String destination = v6 ? "::" : "0.0.0.0";
    int destinationPort = 0;
    if (via instanceof InetSocketAddress d && d.getAddress() != null) {
      destinationPort = d.getPort();
      // the header carries one address family; a listener of the other family is left out
      if ((d.getAddress() instanceof Inet6Address) == v6) {
        destination = d.getAddress().getHostAddress();
      }
    }
    return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
        v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
        source.getAddress().getHostAddress(), destination, source.getPort(), destinationPort);
  }

  /**
   * Puts the header in front of the first bytes written, whoever writes them (the CONNECT, or the
   * TLS handler's ClientHello), then leaves. Waiting for channelActive would be too late: connect
   * listeners, which send the CONNECT, run before it.
   */
  private static final class HeaderWriter extends ChannelOutboundHandlerAdapter {
    private final HAProxyMessage header;
    private boolean sent;

    HeaderWriter(HAProxyMessage header) {
      this.header = header;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      sent = true;
      ctx.write(header, ctx.voidPromise());
      ctx.write(msg, promise);
      ctx.pipeline().remove(PROXY_ENCODER);
      ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (!sent) {
        header.release(); // never sent: the connect failed
      }
    }
  }
}

package io.bastion.frontend;

import io.bastion.config.PemFiles;
import io.bastion.config.TlsConfig;
import io.bastion.config.TlsConfig.CertificateConfig;
import io.bastion.tls.SessionTicketKeys;
import io.bastion.tls.TlsProvider;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of one listener, by SNI name. A reload builds a new mapping from the files and
 * swaps one reference: handshakes that start afterwards present the new certificates, established
 * connections keep theirs. A reload that fails leaves the old certificates in place.
 */
final class ServerTlsContext {

  private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContext.class);

  private final String listener;
  private final SessionTicketKeys ticketKeys = new SessionTicketKeys();
  private volatile Mapping<String, SslContext> contexts;
  private volatile TlsConfig config;
  private volatile List<FileStamp> stamps;

  ServerTlsContext(String listener, TlsConfig config) {
    this.listener = listener;
    this.config = config;
    this.stamps = stamps(config);
    try {
      this.contexts = build(config);
    } catch (SSLException e) {
      throw new IllegalStateException("listener " + listener + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** A new SNI handler; it looks the name up when the ClientHello arrives, then leaves. */
  SniHandler newSniHandler() {
    return new SniHandler((Mapping<String, SslContext>) host -> contexts.map(host)) {
      @Override
      protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) {
        // the SSL handler takes the SNI handler's name, so later steps find it as HandlerNames.TLS
        SslHandler ssl = newSslHandler(context, ctx.alloc());
        try {
          ctx.pipeline().replace(this, HandlerNames.TLS, ssl);
        } catch (RuntimeException e) {
          ReferenceCountUtil.safeRelease(ssl.engine());
          throw e;
        }
      }
    };
  }

  /** Applies new settings (or the same ones again: the reload signal re-reads the files). */
  synchronized void reload(TlsConfig next) {
    List<FileStamp> nextStamps = stamps(next);
    try {
      contexts = build(next);
      config = next;
      stamps = nextStamps;
      LOG.info("listener {}: TLS certificates loaded", listener);
    } catch (SSLException | RuntimeException e) {
      LOG.warn("listener {}: keeping the current certificates, the new ones do not load: {}",
          listener, e.getMessage());
    }
  }

  /** Reloads when a certificate, key or CA file changed on disk. */
  void reloadIfChanged() {
    TlsConfig current = config;
    if (!stamps(current).equals(stamps)) {
      reload(current);
    }
  }

  private Mapping<String, SslContext> build(TlsConfig tls) throws SSLException {
    List<CertificateConfig> certs = tls.certificates();
    SslContext first = context(certs.get(0), tls);
    DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(first);
    for (int i = 0; i < certs.size(); i++) {
      SslContext ctx = i == 0 ? first : context(certs.get(i), tls);
      for (String host : certs.get(i).hosts()) {
        mapping.add(host, ctx);
      }
    }
    return mapping.build();
  }

  private SslContext context(CertificateConfig cert, TlsConfig tls) throws SSLException {
    List<X509Certificate> chain = PemFiles.certificates(cert.cert());
    PrivateKey key = PemFiles.privateKey(cert.key(), cert.keyPassword());
    if (!PemFiles.matches(key, chain.get(0))) {
      throw new IllegalArgumentException(cert.key() + ": this key does not belong to the certificate in "
          + cert.cert());
    }
    SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
        .sslProvider(TlsProvider.choose())
        .protocols(tls.protocols())
        .sessionCacheSize(tls.sessionCacheSize())
        .sessionTimeout(tls.sessionTimeout().toSeconds());
    if (!tls.ciphers().isEmpty()) {
      builder.ciphers(tls.ciphers());
    }
    switch (tls.clientAuth()) {
      case OPTIONAL -> builder.clientAuth(ClientAuth.OPTIONAL);
      case REQUIRED -> builder.clientAuth(ClientAuth.REQUIRE);
      case NONE -> builder.clientAuth(ClientAuth.NONE);
    }
    if (tls.clientCa() != null) {
      builder.trustManager(PemFiles.certificates(tls.clientCa()).toArray(X509Certificate[]::new));
    }
    SslContext context = builder.build();
    if (tls.sessionTickets()) {
      ticketKeys.applyTo(context);
    }
    return context;
  }

  /** What a file looked like: a change of any part means it was rewritten or replaced. */
  private record FileStamp(Path file, long modified, long size, Object key) {}

  private static List<FileStamp> stamps(TlsConfig tls) {
    List<Path> files = new ArrayList<>();
    for (CertificateConfig c : tls.certificates()) {
      files.add(c.cert());
      files.add(c.key());
    }
    if (tls.clientCa() != null) {
      files.add(tls.clientCa());
    }
    List<FileStamp> result = new ArrayList<>();
    for (Path f : files) {
      try {
        var attrs = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
        result.add(new FileStamp(f, attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), attrs.size(),
            Objects.requireNonNullElse(attrs.fileKey(), "")));
      } catch (IOException e) {
        result.add(new FileStamp(f, -1, -1, "")); // missing now: a reload will say why
      }
    }
    return result;
  }
}

package io.bastion.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS implementation: OpenSSL (BoringSSL through netty-tcnative) where it loads, the JDK's
 * otherwise. {@code -Dbastion.tls.jdk=true} forces the JDK provider.
 */
public final class TlsProvider {

  private TlsProvider() {}

  public static SslProvider choose() {
    return !Boolean.getBoolean("bastion.tls.jdk") && OpenSsl.isAvailable()
        ? SslProvider.OPENSSL
        : SslProvider.JDK;
  }

  /** What {@link #choose()} picks, and why, for the start-up log. */
  public static String describe() {
    if (choose() == SslProvider.OPENSSL) {
      return "OpenSSL (" + OpenSsl.versionString() + ")";
    }
    Throwable why = OpenSsl.unavailabilityCause();
    return "JDK (" + (Boolean.getBoolean("bastion.tls.jdk") || why == null
        ? "bastion.tls.jdk set" : "OpenSSL not available: " + why) + ")";
  }
}

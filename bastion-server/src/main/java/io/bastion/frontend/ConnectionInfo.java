package io.bastion.frontend;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What Bastion knows about a client connection before its CONNECT: the listener, the real client
 * address (the socket's, or the one a trusted PROXY protocol header gave), and what TLS learned
 * (SNI, the verified client certificate). Kept as a channel attribute; layers that learn something
 * replace it with an updated copy.
 *
 * @param sni the server name the client asked for in its TLS hello, or null
 * @param certificate the verified client certificate, or null
 */
public record ConnectionInfo(
    String listener, SocketAddress remoteAddress, String sni, ClientCertificate certificate) {

  public static final AttributeKey<ConnectionInfo> KEY = AttributeKey.valueOf("bastion.connection");

  /** The info of a channel, or a plain one from its socket when no layer has set it. */
  public static ConnectionInfo of(Channel channel, String listener) {
    ConnectionInfo info = channel.attr(KEY).get();
    return info != null ? info : new ConnectionInfo(listener, channel.remoteAddress(), null, null);
  }

  public ConnectionInfo withRemoteAddress(SocketAddress address) {
    return new ConnectionInfo(listener, address, sni, certificate);
  }

  public ConnectionInfo withTls(String serverName, ClientCertificate cert) {
    return new ConnectionInfo(listener, remoteAddress, serverName, cert);
  }

  /** The client's IP address as text, or the address's string form for non-IP sockets. */
  public String remoteHost() {
    return remoteAddress instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress()
        : String.valueOf(remoteAddress);
  }

  /**
   * A verified client certificate's identity.
   *
   * @param subjectCn the subject's common name, or null
   * @param subjectAltNames DNS names, IP addresses, e-mail addresses and URIs of the SAN extension
   * @param sha256Fingerprint lower-case hex SHA-256 of the DER encoding
   * @param organizationalUnits the subject's OU values (detection cohorts), empty when none
   */
  public record ClientCertificate(
      String subjectCn, java.util.List<String> subjectAltNames, String sha256Fingerprint,
      java.util.List<String> organizationalUnits) {

    public ClientCertificate(String subjectCn, java.util.List<String> subjectAltNames, String sha256Fingerprint) {
      this(subjectCn, subjectAltNames, sha256Fingerprint, java.util.List.of());
    }
  }
}

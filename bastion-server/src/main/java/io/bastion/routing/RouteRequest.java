package io.bastion.routing;

/**
 * What routing rules may look at for a new session.
 *
 * @param username null when the CONNECT has none
 * @param sni the TLS server name, or null
 * @param certificateCn the verified client certificate's subject CN, or null
 */
public record RouteRequest(
    String listener, String clientId, String username, String sni, String certificateCn) {

  public static RouteRequest of(String listener, String clientId, String username) {
    return new RouteRequest(listener, clientId, username, null, null);
  }
}

package io.bastion.security;

import java.net.InetAddress;
import java.util.List;

/**
 * Who a client is, as the edge decided at CONNECT: what topic ACLs, per-client limits and the
 * blocklist look at during the session.
 *
 * @param username the verified username (or, when the listener does not authenticate, the CONNECT's
 *     username as given), or null
 * @param groups groups from the password file or the token
 * @param certificateName the client certificate's identity (CN or SAN), or null
 * @param certificateFingerprint lower-case hex SHA-256 of the client certificate, or null
 * @param authenticated whether Bastion verified the identity
 */
public record EdgeIdentity(
    String clientId,
    String username,
    List<String> groups,
    String certificateName,
    String certificateFingerprint,
    boolean authenticated,
    InetAddress address) {

  public EdgeIdentity {
    groups = List.copyOf(groups);
  }

  /** Whether one of the identity's names (username, certificate name, a group) is in {@code names}. */
  public boolean namedIn(List<String> names) {
    if (username != null && names.contains(username)) {
      return true;
    }
    if (certificateName != null && names.contains(certificateName)) {
      return true;
    }
    for (String g : groups) {
      if (names.contains(g)) {
        return true;
      }
    }
    return false;
  }
}

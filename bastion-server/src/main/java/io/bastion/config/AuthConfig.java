package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Edge authentication.
 *
 * @param listeners the mode of each listener that checks credentials; a listener not named is off
 * @param passwordFile file of {@code user:hash[:groups]} lines written by {@code bastion passwd}, or
 *     null
 * @param jwt tokens in the password field, or null
 * @param certificates which part of a verified client certificate is the identity
 * @param failureDelay delay before the CONNACK after the first failed login from an address or
 *     for a username; it doubles with each further failure
 * @param maxFailureDelay the longest such delay
 */
public record AuthConfig(
    Map<String, AuthMode> listeners,
    Path passwordFile,
    JwtConfig jwt,
    CertificateIdentity certificates,
    Duration failureDelay,
    Duration maxFailureDelay) {

  public static final Duration DEFAULT_FAILURE_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_FAILURE_DELAY = Duration.ofSeconds(30);
  public static final AuthConfig OFF =
      new AuthConfig(Map.of(), null, null, CertificateIdentity.OFF, DEFAULT_FAILURE_DELAY,
          DEFAULT_MAX_FAILURE_DELAY);

  public AuthConfig {
    listeners = Map.copyOf(listeners);
  }

  public AuthMode mode(String listener) {
    return listeners.getOrDefault(listener, AuthMode.OFF);
  }

  /** Which part of a client certificate names the client. */
  public enum CertificateIdentity {
    OFF,
    /** the subject's common name */
    CN,
    /** the first subject alternative name */
    SAN
  }
}

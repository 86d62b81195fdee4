package io.bastion.config;

import java.nio.file.Path;

/**
 * JSON Web Tokens sent in the CONNECT password field.
 *
 * @param hmacSecret shared secret for HS256, or null
 * @param publicKey PEM file with an RSA or EC public key (RS256, ES256), or null
 * @param jwks JSON Web Key Set file, or null
 * @param issuer required {@code iss}, or null
 * @param audience required {@code aud} entry, or null
 * @param usernameClaim claim that becomes the username
 * @param groupsClaim claim (string or list of strings) that gives the groups
 */
public record JwtConfig(
    String hmacSecret,
    Path publicKey,
    Path jwks,
    String issuer,
    String audience,
    String usernameClaim,
    String groupsClaim) {

  @Override
  public String toString() {
    // the secret never reaches a log line
    return "JwtConfig[hmacSecret=" + (hmacSecret == null ? "none" : "***") + ", publicKey=" + publicKey
        + ", jwks=" + jwks + ", issuer=" + issuer + ", audience=" + audience + ", usernameClaim="
        + usernameClaim + ", groupsClaim=" + groupsClaim + "]";
  }
}

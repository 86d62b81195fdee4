package io.bastion.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.bastion.config.JwtConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JSON Web Tokens sent as the CONNECT password (HS256, RS256, ES256) with Nimbus JOSE+JWT:
 * signature, {@code exp} (required), {@code nbf}, and {@code iss}/{@code aud} when configured.
 */
public final class JwtAuthenticator {

  /** A verified token's identity. */
  public record Claims(String username, List<String> groups) {}

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String usernameClaim;
  private final String groupsClaim;

  private JwtAuthenticator(List<JWK> keys, JwtConfig config) {
    this.usernameClaim = config.usernameClaim();
    this.groupsClaim = config.groupsClaim();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
        Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256),
        new ImmutableJWKSet<>(new JWKSet(keys))));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (config.issuer() != null) {
      exact.issuer(config.issuer());
    }
    Set<String> required = new HashSet<>(Set.of("exp"));
    if (config.audience() != null) {
      required.add("aud");
    }
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
        config.audience() == null ? null : Set.of(config.audience()), exact.build(), required, Set.of()));
  }

  /** Loads the keys the configuration names. */
  public static JwtAuthenticator create(JwtConfig config) throws IOException {
    List<JWK> keys = new ArrayList<>();
    if (config.hmacSecret() != null) {
      keys.add(new OctetSequenceKey.Builder(config.hmacSecret().getBytes(StandardCharsets.UTF_8)).build());
    }
    if (config.publicKey() != null) {
      keys.add(pemKey(config.publicKey()));
    }
    if (config.jwks() != null) {
      try {
        keys.addAll(JWKSet.load(config.jwks().toFile()).getKeys());
      } catch (java.text.ParseException e) {
        throw new IOException(config.jwks() + " is not a JSON Web Key Set: " + e.getMessage(), e);
      }
    }
    return new JwtAuthenticator(keys, config);
  }

  /** Whether a password looks like a JWT (three base64url parts, the first a JSON object). */
  public static boolean looksLikeJwt(byte[] password) {
    if (password == null || password.length < 10 || password[0] != 'e' || password[1] != 'y') {
      return false;
    }
    int dots = 0;
    for (byte b : password) {
      if (b == '.') {
        dots++;
      } else if (!(Character.isLetterOrDigit(b) || b == '-' || b == '_')) {
        return false;
      }
    }
    return dots == 2;
  }

  /** The token's identity, or null when it is not valid. Off the event loop. */
  public Claims verify(byte[] token) {
    try {
      JWTClaimsSet claims = processor.process(new String(token, StandardCharsets.US_ASCII), null);
      String user = claims.getStringClaim(usernameClaim);
      if (user == null || user.isEmpty()) {
        return null;
      }
      Object g = claims.getClaim(groupsClaim);
      List<String> groups = new ArrayList<>();
      if (g instanceof String s) {
        groups.add(s);
      } else if (g instanceof List<?> list) {
        list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(groups::add);
      }
      return new Claims(user, groups);
    } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException
        | com.nimbusds.jose.JOSEException e) {
      return null;
    }
  }

  private static JWK pemKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": not a PEM public key", e);
    }
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        if (key instanceof RSAPublicKey rsa) {
          return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
          return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
        }
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + ": expected an RSA or EC public key in PEM (BEGIN PUBLIC KEY)");
  }
}

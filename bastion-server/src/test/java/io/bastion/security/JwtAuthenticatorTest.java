package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bastion.config.JwtConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  static String token(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static JWTClaimsSet.Builder valid() {
    return new JWTClaimsSet.Builder().subject("alice").issuer("https://issuer").audience("bastion")
        .expirationTime(new Date(System.currentTimeMillis() + 60_000)).claim("groups", List.of("ops"));
  }

  private JwtConfig config(String secret, Path pem, Path jwks) {
    return new JwtConfig(secret, pem, jwks, "https://issuer", "bastion", "sub", "groups");
  }

  @Test
  void hs256WithClaimsChecked() throws Exception {
    JwtAuthenticator auth = JwtAuthenticator.create(config(SECRET, null, null));
    MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
    JwtAuthenticator.Claims ok = auth.verify(bytes(token(JWSAlgorithm.HS256, signer, valid().build())));
    assertThat(ok).isEqualTo(new JwtAuthenticator.Claims("alice", List.of("ops")));
    assertThat(auth.verify(bytes(token(JWSAlgorithm.HS256, signer,
        valid().expirationTime(new Date(System.currentTimeMillis() - 120_000)).build())))).isNull();
    assertThat(auth.verify(bytes(token(JWSAlgorithm.HS256, signer,
        valid().notBeforeTime(new Date(System.currentTimeMillis() + 120_000)).build())))).isNull();
    assertThat(auth.verify(bytes(token(JWSAlgorithm.HS256, signer, valid().issuer("evil").build())))).isNull();
    assertThat(auth.verify(bytes(token(JWSAlgorithm.HS256, signer, valid().audience("other").build())))).isNull();
    assertThat(auth.verify(bytes(token(JWSAlgorithm.HS256,
        new MACSigner("another-secret-another-secret-0123".getBytes(StandardCharsets.UTF_8)), valid().build()))))
        .isNull();
    assertThat(auth.verify(bytes("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9."))).isNull();
  }

  @Test
  void rs256FromPem() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    JwtAuthenticator auth = JwtAuthenticator.create(config(null, pem, null));
    String t = token(JWSAlgorithm.RS256, new RSASSASigner(pair.getPrivate()), valid().build());
    assertThat(auth.verify(bytes(t)).username()).isEqualTo("alice");
  }

  @Test
  void es256FromJwks() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    JwtAuthenticator auth = JwtAuthenticator.create(config(null, null, jwks));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), valid().build());
    jwt.sign(new ECDSASigner(key));
    assertThat(auth.verify(bytes(jwt.serialize())).groups()).containsExactly("ops");
  }

  @Test
  void recognisesTokens() {
    assertThat(JwtAuthenticator.looksLikeJwt(bytes("eyJhbGciOi.eyJzdWIi.c2ln"))).isTrue();
    assertThat(JwtAuthenticator.looksLikeJwt(bytes("hunter2"))).isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

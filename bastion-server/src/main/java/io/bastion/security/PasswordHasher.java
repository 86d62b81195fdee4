package io.bastion.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes in the form {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and
 * hash in unpadded base64). Slow on purpose: call it off the event loop.
 */
public final class PasswordHasher {

  public static final String PREFIX = "$pbkdf2-sha256$";
  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private PasswordHasher() {}

  public static String hash(char[] password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(password, salt, iterations));
  }

  /** Whether {@code password} matches the stored hash; false for a hash it cannot read. */
  public static boolean verify(char[] password, String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return false;
    }
    String[] parts = stored.substring(PREFIX.length()).split("\\$");
    if (parts.length != 3) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[0]);
      byte[] salt = Base64.getDecoder().decode(parts[1]);
      byte[] expected = Base64.getDecoder().decode(parts[2]);
      if (iterations < 1 || expected.length == 0) {
        return false;
      }
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a stored hash has a form {@link #verify} reads. */
  public static boolean isValidHash(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return false;
    }
    String[] parts = stored.substring(PREFIX.length()).split("\\$");
    return parts.length == 3 && parts[0].matches("\\d{1,9}") && !parts[1].isEmpty() && !parts[2].isEmpty();
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}

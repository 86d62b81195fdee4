package io.bastion.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM certificate chains and PKCS#8 private keys with the JDK alone, so the config check
 * and the TLS contexts see the same material. Problems are {@link IllegalArgumentException}s whose
 * message names the file and the reason, ready for the user.
 */
public final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private PemFiles() {}

  /** Every certificate of a PEM file, in file order (leaf first for a chain). */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type().equals("CERTIFICATE")) {
          certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + ": not a valid certificate (" + e.getMessage() + ")");
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    return certs;
  }

  /** The PKCS#8 private key of a PEM file, RSA or EC, decrypted with {@code password} if set. */
  public static PrivateKey privateKey(Path file, String password) {
    for (Block b : blocks(file)) {
      switch (b.type()) {
        case "PRIVATE KEY":
          if (password != null) {
            throw new IllegalArgumentException(file + ": the key is not encrypted but key-password is set");
          }
          return decode(file, new PKCS8EncodedKeySpec(b.der()));
        case "ENCRYPTED PRIVATE KEY":
          if (password == null) {
            throw new IllegalArgumentException(file + ": the key is encrypted; set key-password");
          }
          return decode(file, decrypt(file, b.der(), password));
        case "RSA PRIVATE KEY", "EC PRIVATE KEY":
          throw new IllegalArgumentException(file + ": " + b.type() + " is not PKCS#8; convert it with "
              + "'openssl pkcs8 -topk8 -in KEY -out KEY.pk8' (add -nocrypt for no password)");
        default:
          // parameters and other blocks may precede the key
      }
    }
    throw new IllegalArgumentException(file + ": no PEM private key (BEGIN PRIVATE KEY) found");
  }

  /** Whether {@code key} is the private half of the certificate's public key. */
  public static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // different key types, for one
    }
  }

  /** Null when the certificate is valid at {@code now}, else the reason. */
  public static String validityProblem(X509Certificate cert, Instant now) {
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      return "certificate '" + cert.getSubjectX500Principal().getName() + "' expired on "
          + cert.getNotAfter().toInstant();
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      return "certificate '" + cert.getSubjectX500Principal().getName() + "' is not valid before "
          + cert.getNotBefore().toInstant();
    }
    return null;
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": broken base64 in a " + m.group(1) + " block");
      }
    }
    return blocks;
  }

  private static PrivateKey decode(Path file, KeySpec spec) {
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next key type
      }
    }
    throw new IllegalArgumentException(file + ": not an RSA or EC PKCS#8 private key");
  }

  private static PKCS8EncodedKeySpec decrypt(Path file, byte[] der, String password) {
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      String algorithm = pbeAlgorithm(info);
      SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
          info.getAlgParameters());
      return info.getKeySpec(cipher);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": cannot decrypt the key (wrong key-password or "
          + "unsupported encryption: " + e.getMessage() + ")");
    }
  }

  /** PBES2 keys (OpenSSL's default) name their real scheme in the parameters. */
  private static String pbeAlgorithm(EncryptedPrivateKeyInfo info) {
    AlgorithmParameters parameters = info.getAlgParameters();
    String name = info.getAlgName();
    if (parameters != null && (name.equals("PBES2") || name.equals("1.2.840.113549.1.5.13"))) {
      return parameters.toString();
    }
    return name;
  }
}

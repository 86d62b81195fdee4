package io.bastion.frontend;

import io.bastion.frontend.ConnectionInfo.ClientCertificate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** The identity routing and authentication look at in a verified client certificate. */
final class ClientCertificates {

  private ClientCertificates() {}

  static ClientCertificate identity(X509Certificate cert) {
    return new ClientCertificate(commonName(cert), subjectAltNames(cert), fingerprint(cert),
        organizationalUnits(cert));
  }

  private static List<String> organizationalUnits(X509Certificate cert) {
    List<String> units = new ArrayList<>();
    try {
      LdapName name = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) {
          units.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // as for the CN: no usable OU
    }
    return units;
  }

  private static String commonName(X509Certificate cert) {
    try {
      LdapName name = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
      // LdapName indexes from the end of the printed name: the first CN printed is the last index
      for (int i = name.size() - 1; i >= 0; i--) {
        Rdn rdn = name.getRdn(i);
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      // a subject the JDK printed but cannot parse back has no usable CN
    }
    return null;
  }

  private static List<String> subjectAltNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(1) instanceof String value) {
            names.add(value); // rfc822Name, dNSName, URI, iPAddress
          }
        }
      }
    } catch (CertificateParsingException e) {
      // a malformed SAN extension contributes no names
    }
    return List.copyOf(names);
  }

  private static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a verified certificate", e);
    }
  }
}

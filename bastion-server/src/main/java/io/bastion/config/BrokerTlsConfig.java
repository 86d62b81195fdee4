package io.bastion.config;

import java.nio.file.Path;

/**
 * TLS from Bastion to the brokers of a pool.
 *
 * @param ca PEM bundle the brokers' certificates must chain to; null trusts the JDK's CAs
 * @param cert Bastion's client certificate chain (PEM), or null
 * @param key the client certificate's PKCS#8 key (PEM), or null
 * @param keyPassword password of an encrypted key, or null
 * @param verifyHostname whether the broker certificate must name the broker's host
 */
public record BrokerTlsConfig(
    Path ca, Path cert, Path key, String keyPassword, boolean verifyHostname) {

  @Override
  public String toString() {
    return "BrokerTlsConfig[ca=" + ca + ", cert=" + cert + ", key=" + key
        + ", verifyHostname=" + verifyHostname + "]";
  }
}

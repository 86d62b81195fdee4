package io.bastion.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network: address bytes (4 or 16) and prefix length. IPv4-mapped IPv6 addresses
 * are stored as IPv4.
 */
public record Cidr(byte[] address, int prefix) {

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address (a full-length prefix).
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String ip = slash < 0 ? t : t.substring(0, slash);
    if (!IpLiterals.isIpLiteral(ip) || ip.indexOf('%') >= 0) {
      throw new IllegalArgumentException("expected an IP address or CIDR such as 10.0.0.0/8, got '" + text + "'");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(ip).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP address '" + ip + "'");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException("prefix length must be 0 to " + max + ", got '" + p + "'");
      }
      prefix = Integer.parseInt(p);
    }
    return new Cidr(bytes, prefix);
  }

  /** True when the address has bits set beyond the prefix (e.g. 10.1.2.3/8), usually a typo. */
  /** Whether {@code ip} (4 or 16 bytes) lies in this network. */
  public boolean contains(byte[] ip) {
    if (ip.length != address.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit & 7);
      if ((address[bit >>> 3] & mask) != (ip[bit >>> 3] & mask)) {
        return false;
      }
    }
    return true;
  }

  public boolean hasHostBits() {
    for (int bit = prefix; bit < address.length * 8; bit++) {
      if ((address[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.address, address);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}

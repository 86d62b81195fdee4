package io.bastion.security;

import java.util.function.Predicate;

/**
 * A binary prefix trie of IPv4 and IPv6 networks: insert, remove and longest-prefix lookup walk at
 * most 32 or 128 nodes, whatever the number of entries. Not thread safe; {@link Blocklist} guards
 * it.
 *
 * @param <V> what a network maps to
 */
final class IpTrie<V> {

  private static final class Node<V> {
    Node<V> zero;
    Node<V> one;
    V value;
  }

  private final Node<V> v4 = new Node<>();
  private final Node<V> v6 = new Node<>();

  /** Maps {@code address/prefix} to {@code value}, replacing what it mapped to. */
  void put(byte[] address, int prefix, V value) {
    Node<V> n = root(address);
    for (int bit = 0; bit < prefix; bit++) {
      if (bitAt(address, bit)) {
        n = n.one == null ? (n.one = new Node<>()) : n.one;
      } else {
        n = n.zero == null ? (n.zero = new Node<>()) : n.zero;
      }
    }
    n.value = value;
  }

  /** Unmaps exactly {@code address/prefix}; empty branches are left (they are tiny). */
  V remove(byte[] address, int prefix) {
    Node<V> n = root(address);
    for (int bit = 0; bit < prefix && n != null; bit++) {
      n = bitAt(address, bit) ? n.one : n.zero;
    }
    if (n == null) {
      return null;
    }
    V old = n.value;
    n.value = null;
    return old;
  }

  /** The value of the longest network containing {@code address} that {@code accept} takes. */
  V longestMatch(byte[] address, Predicate<V> accept) {
    Node<V> n = root(address);
    V best = null;
    int bits = address.length * 8;
    for (int bit = 0; ; bit++) {
      if (n.value != null && accept.test(n.value)) {
        best = n.value;
      }
      if (bit == bits) {
        return best;
      }
      n = bitAt(address, bit) ? n.one : n.zero;
      if (n == null) {
        return best;
      }
    }
  }

  private Node<V> root(byte[] address) {
    return address.length == 4 ? v4 : v6;
  }

  private static boolean bitAt(byte[] address, int bit) {
    return (address[bit >>> 3] & (0x80 >>> (bit & 7))) != 0;
  }
}

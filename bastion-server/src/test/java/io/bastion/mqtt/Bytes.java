package io.bastion.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes MQTT wire primitives by hand, so tests state the bytes they mean. */
final class Bytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Bytes u8(int v) {
    out.write(v);
    return this;
  }

  Bytes u16(int v) {
    return u8(v >> 8).u8(v);
  }

  Bytes u32(long v) {
    return u16((int) (v >> 16)).u16((int) v);
  }

  Bytes vbi(int v) {
    do {
      int b = v & 0x7F;
      v >>>= 7;
      u8(v > 0 ? b | 0x80 : b);
    } while (v > 0);
    return this;
  }

  Bytes raw(byte... bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** A two-byte length then the bytes: MQTT binary data, or a string given as raw bytes. */
  Bytes bin(byte[] bytes) {
    return u16(bytes.length).raw(bytes);
  }

  Bytes str(String s) {
    return bin(s.getBytes(StandardCharsets.UTF_8));
  }

  int size() {
    return out.size();
  }

  byte[] toArray() {
    return out.toByteArray();
  }

  static byte[] hex(String hex) {
    String h = hex.replace(" ", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** A whole packet: first byte, remaining length, body. */
  static byte[] packet(int firstByte, byte[] body) {
    return new Bytes().u8(firstByte).vbi(body.length).raw(body).toArray();
  }
}

package io.bastion.detect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MQTT packets as bytes, for feeding counters and handlers. */
final class Packets {

  private Packets() {}

  static ByteBuf publish(String topic, int qos, boolean retain, int payloadLength, boolean mqtt5) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    str(body, topic);
    if (qos > 0) {
      body.write(0);
      body.write(7);
    }
    if (mqtt5) {
      body.write(3); // properties: payload format indicator, 2 bytes
      body.write(0x01);
      body.write(1);
      body.write(0);
    }
    body.writeBytes(new byte[payloadLength]);
    return packet(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
  }

  static ByteBuf subscribe(boolean mqtt5, String... filters) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0);
    body.write(9);
    if (mqtt5) {
      body.write(0);
    }
    for (String f : filters) {
      str(body, f);
      body.write(1);
    }
    return packet(0x82, body.toByteArray());
  }

  static ByteBuf ack(int type, int packetId) {
    return packet(type << 4 | (type == 6 ? 2 : 0), new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  static ByteBuf packet(int first, byte[] body) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(first);
    int len = body.length;
    do {
      int digit = len % 128;
      len /= 128;
      b.writeByte(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    b.writeBytes(body);
    return b;
  }

  private static void str(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length);
    out.writeBytes(b);
  }
}

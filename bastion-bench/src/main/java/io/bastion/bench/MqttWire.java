package io.bastion.bench;

import io.netty.buffer.ByteBuf;

/**
 * Packet types and header reads of the load generator; what it sends is written by {@code
 * ClientPackets} and {@code MqttMessages} of bastion-server. Incoming packets are delimited by Bastion's own {@code MqttFrameDecoder}; {@link LoadClient} reads the
 * handful of fields it needs with absolute indexes.
 */
final class MqttWire {

  static final int CONNECT = 1;
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int SUBSCRIBE = 8;
  static final int SUBACK = 9;
  static final int PINGREQ = 12;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;

  /** Largest packet the load generator accepts from a broker. */
  static final int MAX_PACKET = 1 << 20;

  private MqttWire() {}

  static int type(ByteBuf packet) {
    return packet.getUnsignedByte(packet.readerIndex()) >>> 4;
  }

  /** Index of the first byte after the fixed header (remaining length is 1–4 bytes). */
  static int variableHeaderIndex(ByteBuf packet) {
    int i = packet.readerIndex() + 1;
    while ((packet.getByte(i) & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }
}

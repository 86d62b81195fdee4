package io.bastion.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The few MQTT 3.1.1 packets a load generator sends, written straight into pooled buffers. Incoming
 * packets are delimited by Bastion's own {@code MqttFrameDecoder}; {@link LoadClient} reads the
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

  /** CONNECT, protocol level 4 (3.1.1), clean session, no will, no credentials. */
  static ByteBuf connect(ByteBufAllocator alloc, String clientId, int keepAliveSeconds) {
    int idLength = ByteBufUtil.utf8Bytes(clientId);
    int remaining = 10 + 2 + idLength;
    ByteBuf buf = alloc.buffer(fixedHeaderLength(remaining) + remaining);
    buf.writeByte(CONNECT << 4);
    writeRemainingLength(buf, remaining);
    buf.writeShort(4).writeByte('M').writeByte('Q').writeByte('T').writeByte('T');
    buf.writeByte(4); // protocol level 3.1.1
    buf.writeByte(0x02); // clean session
    buf.writeShort(keepAliveSeconds);
    buf.writeShort(idLength);
    ByteBufUtil.reserveAndWriteUtf8(buf, clientId, idLength);
    return buf;
  }

  static ByteBuf subscribe(ByteBufAllocator alloc, int packetId, String topicFilter, int qos) {
    int filterLength = ByteBufUtil.utf8Bytes(topicFilter);
    int remaining = 2 + 2 + filterLength + 1;
    ByteBuf buf = alloc.buffer(fixedHeaderLength(remaining) + remaining);
    buf.writeByte(SUBSCRIBE << 4 | 0x02);
    writeRemainingLength(buf, remaining);
    buf.writeShort(packetId);
    buf.writeShort(filterLength);
    ByteBufUtil.reserveAndWriteUtf8(buf, topicFilter, filterLength);
    buf.writeByte(qos);
    return buf;
  }

  /**
   * PUBLISH header (fixed header, topic, packet id for QoS 1) sized for {@code payloadLength}; the
   * caller writes exactly that many payload bytes after it.
   */
  static ByteBuf publishHeader(
      ByteBufAllocator alloc, byte[] topicUtf8, int qos, int packetId, int payloadLength) {
    int remaining = 2 + topicUtf8.length + (qos > 0 ? 2 : 0) + payloadLength;
    ByteBuf buf = alloc.buffer(fixedHeaderLength(remaining) + remaining);
    buf.writeByte(PUBLISH << 4 | qos << 1);
    writeRemainingLength(buf, remaining);
    buf.writeShort(topicUtf8.length);
    buf.writeBytes(topicUtf8);
    if (qos > 0) {
      buf.writeShort(packetId);
    }
    return buf;
  }

  static ByteBuf puback(ByteBufAllocator alloc, int packetId) {
    return alloc.buffer(4).writeByte(PUBACK << 4).writeByte(2).writeShort(packetId);
  }

  static ByteBuf pingreq(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(PINGREQ << 4).writeByte(0);
  }

  static ByteBuf disconnect(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(DISCONNECT << 4).writeByte(0);
  }

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

  static int fixedHeaderLength(int remaining) {
    if (remaining < 128) {
      return 2;
    } else if (remaining < 16_384) {
      return 3;
    } else if (remaining < 2_097_152) {
      return 4;
    }
    return 5;
  }

  static void writeRemainingLength(ByteBuf buf, int remaining) {
    int value = remaining;
    do {
      int b = value & 0x7F;
      value >>>= 7;
      buf.writeByte(value > 0 ? b | 0x80 : b);
    } while (value > 0);
  }
}

package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The few MQTT 3.1.1 packets a client sends, written straight into pooled buffers: for Bastion's
 * own clients (demo devices, the load generator). CONNECT and DISCONNECT are in {@link
 * MqttMessages}.
 */
public final class ClientPackets {

  private ClientPackets() {}

  public static ByteBuf subscribe(ByteBufAllocator alloc, int packetId, String topicFilter, int qos) {
    int filterLength = ByteBufUtil.utf8Bytes(topicFilter);
    int remaining = 2 + 2 + filterLength + 1;
    ByteBuf buf = alloc.buffer(fixedHeaderLength(remaining) + remaining);
    buf.writeByte(PacketType.SUBSCRIBE.value() << 4 | 0x02);
    writeRemainingLength(buf, remaining);
    buf.writeShort(packetId);
    buf.writeShort(filterLength);
    ByteBufUtil.reserveAndWriteUtf8(buf, topicFilter, filterLength);
    buf.writeByte(qos);
    return buf;
  }

  /**
   * PUBLISH header (fixed header, topic, packet id for QoS 1 or 2) sized for {@code
   * payloadLength}; the caller writes exactly that many payload bytes after it.
   */
  public static ByteBuf publishHeader(
      ByteBufAllocator alloc, byte[] topicUtf8, int qos, int packetId, int payloadLength) {
    int remaining = 2 + topicUtf8.length + (qos > 0 ? 2 : 0) + payloadLength;
    ByteBuf buf = alloc.buffer(fixedHeaderLength(remaining) + remaining);
    buf.writeByte(PacketType.PUBLISH.value() << 4 | qos << 1);
    writeRemainingLength(buf, remaining);
    buf.writeShort(topicUtf8.length);
    buf.writeBytes(topicUtf8);
    if (qos > 0) {
      buf.writeShort(packetId);
    }
    return buf;
  }

  public static ByteBuf puback(ByteBufAllocator alloc, int packetId) {
    return alloc.buffer(4).writeByte(PacketType.PUBACK.value() << 4).writeByte(2).writeShort(packetId);
  }

  public static ByteBuf pingreq(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(PacketType.PINGREQ.value() << 4).writeByte(0);
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

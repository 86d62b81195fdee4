package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The few packets Bastion writes itself: CONNACK refusals and DISCONNECTs in the form the client's
 * protocol level defines, and a minimal CONNECT for health probes.
 */
public final class MqttMessages {

  private static final int CONNACK = 0x20;
  private static final int DISCONNECT = 0xE0;

  private MqttMessages() {}

  /**
   * A CONNACK (session present 0) answering a client of the given level with {@code code}.
   *
   * <p>MQTT 5 gets the reason code and an empty property block; 3.1 and 3.1.1 get the return code,
   * or null when they have none for {@code code} and the connection must just be closed. A level
   * Bastion does not speak gets a 3.1.1 CONNACK 0x01 (unacceptable protocol version), the one
   * answer every version understands — except level 0 with another code, which means the level was never
   * read (the packet was cut short): null, just close.
   */
  public static ByteBuf connack(ByteBufAllocator alloc, int protocolLevel, ReasonCode code) {
    if (protocolLevel == 5) {
      return alloc.buffer(5).writeByte(CONNACK).writeByte(3).writeByte(0).writeByte(code.v5())
          .writeByte(0);
    }
    int returnCode;
    if (protocolLevel == 3 || protocolLevel == 4) {
      returnCode = code.v3ConnackCode();
    } else if (protocolLevel != 0 || code == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
      returnCode = ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.v3ConnackCode();
    } else {
      returnCode = -1;
    }
    if (returnCode < 0) {
      return null;
    }
    return alloc.buffer(4).writeByte(CONNACK).writeByte(2).writeByte(0).writeByte(returnCode);
  }

  /**
   * An MQTT 5 DISCONNECT with {@code code}, or null below level 5: 3.1.1 has no DISCONNECT from the
   * server, the connection is just closed.
   */
  public static ByteBuf disconnect(ByteBufAllocator alloc, int protocolLevel, ReasonCode code) {
    if (protocolLevel != 5) {
      return null;
    }
    if (code.v5() == 0) {
      // remaining length 0 means reason 0x00 and no properties
      return alloc.buffer(2).writeByte(DISCONNECT).writeByte(0);
    }
    return alloc.buffer(4).writeByte(DISCONNECT).writeByte(2).writeByte(code.v5()).writeByte(0);
  }

  /**
   * As {@link #disconnect(ByteBufAllocator, int, ReasonCode)}, telling an MQTT 5 client where to
   * reconnect (Server Reference, property 0x1C) when {@code serverReference} is not null.
   */
  public static ByteBuf disconnect(ByteBufAllocator alloc, int protocolLevel, ReasonCode code,
      String serverReference) {
    if (protocolLevel != 5 || serverReference == null) {
      return disconnect(alloc, protocolLevel, code);
    }
    int length = ByteBufUtil.utf8Bytes(serverReference);
    int properties = 3 + length; // identifier, two length bytes, the string
    int remaining = 1 + variableByteIntegerSize(properties) + properties;
    ByteBuf buf = alloc.buffer(1 + 4 + remaining);
    buf.writeByte(DISCONNECT);
    writeVariableByteInteger(buf, remaining);
    buf.writeByte(code.v5());
    writeVariableByteInteger(buf, properties);
    buf.writeByte(0x1C).writeShort(length);
    ByteBufUtil.reserveAndWriteUtf8(buf, serverReference, length);
    return buf;
  }

  private static int variableByteIntegerSize(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  /** A minimal MQTT 3.1.1 CONNECT, clean session, no will, no credentials: for health probes. */
  public static ByteBuf connect(ByteBufAllocator alloc, String clientId, int keepAliveSeconds) {
    int idLength = ByteBufUtil.utf8Bytes(clientId);
    if (idLength > 0xFFFF) {
      throw new IllegalArgumentException("client id longer than 65535 bytes");
    }
    if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
      throw new IllegalArgumentException("keep alive out of range: " + keepAliveSeconds);
    }
    // "MQTT" name (6), level (1), flags (1), keep alive (2), client id (2 + n)
    int remaining = 12 + idLength;
    ByteBuf buf = alloc.buffer(1 + 4 + remaining);
    buf.writeByte(0x10);
    writeVariableByteInteger(buf, remaining);
    buf.writeShort(4).writeByte('M').writeByte('Q').writeByte('T').writeByte('T');
    buf.writeByte(4).writeByte(0x02).writeShort(keepAliveSeconds);
    buf.writeShort(idLength);
    ByteBufUtil.reserveAndWriteUtf8(buf, clientId, idLength);
    return buf;
  }

  /**
   * A PUBACK (type 4) or PUBREC (type 5) from Bastion itself: MQTT 5 carries {@code code}; 3.1.1
   * has no reason code and gets a plain acknowledgement.
   */
  public static ByteBuf ack(ByteBufAllocator alloc, int type, int protocolLevel, int packetId, ReasonCode code) {
    if (protocolLevel == 5) {
      // remaining length 3: no property length
      return alloc.buffer(5).writeByte(type << 4).writeByte(3).writeShort(packetId).writeByte(code.v5());
    }
    return alloc.buffer(4).writeByte(type << 4).writeByte(2).writeShort(packetId);
  }

  /** A PUBCOMP (success) for a PUBREL Bastion answers itself. */
  public static ByteBuf pubcomp(ByteBufAllocator alloc, int packetId) {
    return alloc.buffer(4).writeByte(0x70).writeByte(2).writeShort(packetId);
  }

  /** DISCONNECT of MQTT 3.1.1: E0 00. */
  public static ByteBuf disconnectV311(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(DISCONNECT).writeByte(0);
  }

  /**
   * The return code (3.1.1) or reason code (5) of a whole CONNACK packet, fixed header included, or
   * -1 if the bytes are not a CONNACK. Reads with absolute indexes; the buffer is not changed.
   */
  public static int connackReturnCode(ByteBuf packet) {
    int index = packet.readerIndex();
    int limit = packet.writerIndex();
    if (index >= limit || packet.getUnsignedByte(index) != CONNACK) {
      return -1;
    }
    index++;
    int remaining = 0;
    for (int shift = 0; ; shift += 7) {
      if (index >= limit || shift > 21) {
        return -1;
      }
      int b = packet.getUnsignedByte(index++);
      remaining |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    // acknowledge flags, then the code
    if (remaining < 2 || index + 1 >= limit) {
      return -1;
    }
    return packet.getUnsignedByte(index + 1);
  }

  static void writeVariableByteInteger(ByteBuf buf, int value) {
    do {
      int b = value & 0x7F;
      value >>>= 7;
      buf.writeByte(value > 0 ? b | 0x80 : b);
    } while (value > 0);
  }
}

package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounded reading of one delimited packet with absolute indexes: every field is checked against
 * the packet's end, and every failure is a stackless {@link MqttDecodeException}. Reusable: {@link
 * #reset} starts on the next packet without allocating.
 */
final class PacketCursor {

  private ByteBuf buf;
  int pos;
  int end;
  int level;

  /**
   * Starts on a whole packet and reads its fixed header.
   *
   * @return the first byte (type and flags)
   */
  int reset(ByteBuf packet, int protocolLevel) {
    this.buf = packet;
    this.level = protocolLevel;
    this.pos = packet.readerIndex();
    this.end = packet.writerIndex();
    int first = u8();
    int remaining = variableByteInteger();
    if (remaining != end - pos) {
      throw error(ReasonCode.MALFORMED_PACKET, "remaining length does not match the packet");
    }
    return first;
  }

  ByteBuf buf() {
    return buf;
  }

  boolean atEnd() {
    return pos >= end;
  }

  int take(int length) {
    if (length < 0 || length > end - pos) {
      throw error(ReasonCode.MALFORMED_PACKET, "field runs past its packet or property block");
    }
    int start = pos;
    pos += length;
    return start;
  }

  int u8() {
    return buf.getUnsignedByte(take(1));
  }

  int u16() {
    return buf.getUnsignedShort(take(2));
  }

  int variableByteInteger() {
    int value = 0;
    for (int shift = 0; shift <= 21; shift += 7) {
      int b = u8();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw error(ReasonCode.MALFORMED_PACKET, "variable byte integer longer than 4 bytes");
  }

  /** Skips an MQTT string after checking it is well-formed UTF-8 without U+0000; returns its start. */
  int utf8String() {
    int length = u16();
    int start = take(length);
    checkUtf8(start, length);
    return start;
  }

  void checkUtf8(int start, int length) {
    boolean ascii = true;
    for (int i = start; i < start + length; i++) {
      byte b = buf.getByte(i);
      if (b == 0) {
        throw error(ReasonCode.MALFORMED_PACKET, "string contains U+0000");
      }
      ascii &= b > 0;
    }
    if (!ascii) {
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf.nioBuffer(start, length));
      } catch (CharacterCodingException e) {
        throw error(ReasonCode.MALFORMED_PACKET, "string is not well-formed UTF-8");
      }
    }
  }

  String string(int start, int length) {
    return buf.toString(start, length, StandardCharsets.UTF_8);
  }

  MqttDecodeException error(ReasonCode code, String message) {
    return new MqttDecodeException(code, level, message);
  }
}

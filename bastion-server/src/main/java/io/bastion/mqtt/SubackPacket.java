package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Reads and writes SUBACKs: Bastion merges its own refusals into the broker's answer. */
public final class SubackPacket {

  /** The failure code of 3.1.1. */
  public static final int FAILURE_V3 = 0x80;

  private SubackPacket() {}

  /** The packet identifier of a whole SUBACK, or -1 when the bytes are not one. */
  public static int packetId(ByteBuf packet) {
    PacketCursor c = new PacketCursor();
    try {
      int first = c.reset(packet, 0);
      return first == 0x90 ? c.u16() : -1;
    } catch (MqttDecodeException e) {
      return -1;
    }
  }

  /** The reason (5) or return (3.1.1) codes of a whole SUBACK, in order. */
  public static int[] codes(ByteBuf packet, int protocolLevel) {
    PacketCursor c = new PacketCursor();
    c.reset(packet, protocolLevel);
    c.u16();
    if (protocolLevel == 5) {
      c.take(c.variableByteInteger());
    }
    int[] codes = new int[c.end - c.pos];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = c.u8();
    }
    return codes;
  }

  /**
   * The broker's SUBACK with its codes replaced by {@code codes}: the packet identifier and, on
   * MQTT 5, the broker's properties (reason string, user properties) are kept as they were.
   */
  public static ByteBuf withCodes(ByteBufAllocator alloc, ByteBuf original, int protocolLevel, int[] codes) {
    if (protocolLevel != 5) {
      return write(alloc, protocolLevel, packetId(original), codes);
    }
    PacketCursor c = new PacketCursor();
    c.reset(original, protocolLevel);
    int packetId = c.u16();
    int propertiesStart = c.pos;
    c.take(c.variableByteInteger());
    int propertiesLength = c.pos - propertiesStart;
    int remaining = 2 + propertiesLength + codes.length;
    ByteBuf out = alloc.buffer(5 + remaining);
    out.writeByte(0x90);
    MqttMessages.writeVariableByteInteger(out, remaining);
    out.writeShort(packetId);
    out.writeBytes(original, propertiesStart, propertiesLength);
    for (int code : codes) {
      out.writeByte(code);
    }
    return out;
  }

  /** A SUBACK with the given codes and, on MQTT 5, no properties. */
  public static ByteBuf write(ByteBufAllocator alloc, int protocolLevel, int packetId, int[] codes) {
    int remaining = 2 + (protocolLevel == 5 ? 1 : 0) + codes.length;
    ByteBuf out = alloc.buffer(5 + remaining);
    out.writeByte(0x90);
    MqttMessages.writeVariableByteInteger(out, remaining);
    out.writeShort(packetId);
    if (protocolLevel == 5) {
      out.writeByte(0);
    }
    for (int code : codes) {
      out.writeByte(code);
    }
    return out;
  }
}

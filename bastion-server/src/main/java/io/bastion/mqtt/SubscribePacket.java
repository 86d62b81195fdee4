package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's SUBSCRIBE or UNSUBSCRIBE: packet identifier, the MQTT 5 property block, and each
 * topic filter with where its entry lies, so that Bastion can forward a copy with some filters
 * left out.
 */
public final class SubscribePacket {

  /**
   * One filter entry.
   *
   * @param start index of the entry (filter length prefix) in the packet
   * @param end index after it (after the options byte for SUBSCRIBE)
   */
  public record Entry(String filter, int options, int start, int end) {}

  private final boolean subscribe;
  private final int protocolLevel;
  private final int packetId;
  private final int propertiesStart;
  private final int propertiesEnd;
  private final List<Entry> entries;

  private SubscribePacket(boolean subscribe, int protocolLevel, int packetId, int propertiesStart,
      int propertiesEnd, List<Entry> entries) {
    this.subscribe = subscribe;
    this.protocolLevel = protocolLevel;
    this.packetId = packetId;
    this.propertiesStart = propertiesStart;
    this.propertiesEnd = propertiesEnd;
    this.entries = entries;
  }

  /**
   * Reads a whole SUBSCRIBE or UNSUBSCRIBE packet.
   *
   * @throws MqttDecodeException when it is malformed
   */
  public static SubscribePacket parse(ByteBuf packet, int protocolLevel) {
    PacketCursor c = new PacketCursor();
    int first = c.reset(packet, protocolLevel);
    int type = first >>> 4;
    boolean subscribe = type == PacketType.SUBSCRIBE.value();
    if (!subscribe && type != PacketType.UNSUBSCRIBE.value()) {
      throw c.error(ReasonCode.PROTOCOL_ERROR, "not a SUBSCRIBE or UNSUBSCRIBE");
    }
    if ((first & 0x0F) != 0x02) {
      throw c.error(ReasonCode.MALFORMED_PACKET, "reserved fixed header flags must be 0010");
    }
    int packetId = c.u16();
    if (packetId == 0) {
      throw c.error(ReasonCode.PROTOCOL_ERROR, "packet identifier 0");
    }
    int propertiesStart = c.pos;
    if (protocolLevel == 5) {
      int length = c.variableByteInteger();
      c.take(length); // subscription identifier and user properties: forwarded as they are
    }
    int propertiesEnd = c.pos;
    List<Entry> entries = new ArrayList<>(2);
    while (!c.atEnd()) {
      int start = c.pos;
      int length = c.u16();
      int filterStart = c.take(length);
      c.checkUtf8(filterStart, length);
      String filter = c.string(filterStart, length);
      String problem = TopicFilter.problem(filter);
      if (problem != null) {
        throw c.error(ReasonCode.MALFORMED_PACKET, problem);
      }
      int options = 0;
      if (subscribe) {
        options = c.u8();
        int reserved = protocolLevel == 5 ? options & 0xC0 : options & 0xFC;
        if (reserved != 0 || (options & 0x03) == 3 || (protocolLevel == 5 && (options & 0x30) == 0x30)) {
          throw c.error(ReasonCode.MALFORMED_PACKET, "invalid subscription options " + options);
        }
      }
      entries.add(new Entry(filter, options, start, c.pos));
    }
    if (entries.isEmpty()) {
      throw c.error(ReasonCode.PROTOCOL_ERROR, "no topic filter");
    }
    return new SubscribePacket(subscribe, protocolLevel, packetId, propertiesStart, propertiesEnd, entries);
  }

  public boolean isSubscribe() {
    return subscribe;
  }

  public int packetId() {
    return packetId;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The same packet with only the entries whose {@code keep} flag is set (at least one). */
  public ByteBuf rewrite(ByteBufAllocator alloc, ByteBuf original, boolean[] keep) {
    int remaining = 2 + (propertiesEnd - propertiesStart);
    for (int i = 0; i < entries.size(); i++) {
      if (keep[i]) {
        remaining += entries.get(i).end() - entries.get(i).start();
      }
    }
    ByteBuf out = alloc.buffer(5 + remaining);
    out.writeByte(original.getUnsignedByte(original.readerIndex()));
    MqttMessages.writeVariableByteInteger(out, remaining);
    out.writeShort(packetId);
    out.writeBytes(original, propertiesStart, propertiesEnd - propertiesStart);
    for (int i = 0; i < entries.size(); i++) {
      if (keep[i]) {
        Entry e = entries.get(i);
        out.writeBytes(original, e.start(), e.end() - e.start());
      }
    }
    return out;
  }

  public int protocolLevel() {
    return protocolLevel;
  }
}

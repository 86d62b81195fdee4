package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;

/**
 * What the relay needs of a client's PUBLISH: QoS, packet identifier, where the topic is, and the
 * MQTT 5 topic alias. Reusable and allocation-free: one instance per session reads every PUBLISH in
 * place.
 */
public final class PublishView {

  private static final int TOPIC_ALIAS = 0x23;

  private final PacketCursor cursor = new PacketCursor();
  private int qos;
  private int packetId;
  private int topicStart;
  private int topicLength;
  private int topicAlias;

  /**
   * Reads a whole PUBLISH packet.
   *
   * @throws MqttDecodeException when it is malformed
   */
  public void parse(ByteBuf packet, int protocolLevel) {
    PacketCursor c = cursor;
    int first = c.reset(packet, protocolLevel);
    if ((first >>> 4) != PacketType.PUBLISH.value()) {
      throw c.error(ReasonCode.PROTOCOL_ERROR, "not a PUBLISH");
    }
    qos = (first >>> 1) & 3;
    if (qos == 3) {
      throw c.error(ReasonCode.MALFORMED_PACKET, "PUBLISH with QoS 3");
    }
    topicLength = c.u16();
    topicStart = c.take(topicLength);
    c.checkUtf8(topicStart, topicLength);
    ByteBuf buf = c.buf();
    for (int i = topicStart; i < topicStart + topicLength; i++) {
      byte b = buf.getByte(i);
      if (b == '+' || b == '#') {
        throw c.error(ReasonCode.TOPIC_NAME_INVALID, "wildcard in a PUBLISH topic");
      }
    }
    packetId = 0;
    if (qos > 0) {
      packetId = c.u16();
      if (packetId == 0) {
        throw c.error(ReasonCode.PROTOCOL_ERROR, "PUBLISH with packet identifier 0");
      }
    }
    topicAlias = 0;
    if (protocolLevel == 5) {
      properties(c);
    }
    if (topicLength == 0 && topicAlias == 0) {
      throw c.error(ReasonCode.PROTOCOL_ERROR, "PUBLISH without a topic or topic alias");
    }
  }

  private void properties(PacketCursor c) {
    int length = c.variableByteInteger();
    int outerEnd = c.end;
    c.end = c.take(length) + length;
    c.pos = c.end - length;
    while (!c.atEnd()) {
      int id = c.variableByteInteger();
      switch (id) {
        case 0x01 -> c.take(1); // payload format indicator
        case 0x02 -> c.take(4); // message expiry interval
        case TOPIC_ALIAS -> {
          topicAlias = c.u16();
          if (topicAlias == 0) {
            throw c.error(ReasonCode.PROTOCOL_ERROR, "topic alias 0");
          }
        }
        case 0x08, 0x03 -> c.utf8String(); // response topic, content type
        case 0x09 -> c.take(c.u16()); // correlation data
        case 0x26 -> { // user property
          c.utf8String();
          c.utf8String();
        }
        case 0x0B -> c.variableByteInteger(); // subscription identifier
        default -> throw c.error(ReasonCode.MALFORMED_PACKET, "property " + id + " not allowed in PUBLISH");
      }
    }
    c.end = outerEnd;
  }

  public int qos() {
    return qos;
  }

  /** 0 for QoS 0. */
  public int packetId() {
    return packetId;
  }

  /** Index of the topic's first byte in the packet buffer. */
  public int topicStart() {
    return topicStart;
  }

  /** 0 when an MQTT 5 client sends only a topic alias. */
  public int topicLength() {
    return topicLength;
  }

  /** The MQTT 5 topic alias, or 0. */
  public int topicAlias() {
    return topicAlias;
  }

  /** The topic as a string (allocates; for logs and alias maps). */
  public String topic(ByteBuf packet) {
    return packet.toString(topicStart, topicLength, java.nio.charset.StandardCharsets.UTF_8);
  }
}

package io.bastion.detect;

import io.bastion.mqtt.MqttDecodeException;
import io.bastion.mqtt.MqttMessages;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.SubackPacket;
import io.bastion.mqtt.SubscribePacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Answers what a denied client sends instead of forwarding it: a PUBLISH gets its PUBACK or PUBREC
 * (MQTT 5: 0x87 not authorized), a SUBSCRIBE a SUBACK refusing every filter. The packet is
 * released. The caller flushes.
 */
public final class Denials {

  private Denials() {}

  public static void answer(ByteBuf packet, int type, int protocolLevel, Channel client) {
    try {
      if (type == PacketType.PUBLISH.value()) {
        publish(packet, protocolLevel, client);
      } else if (type == PacketType.SUBSCRIBE.value()) {
        SubscribePacket sub = SubscribePacket.parse(packet, protocolLevel);
        int[] codes = new int[sub.entries().size()];
        java.util.Arrays.fill(codes, protocolLevel == 5 ? ReasonCode.NOT_AUTHORIZED.v5() : SubackPacket.FAILURE_V3);
        client.write(SubackPacket.write(client.alloc(), protocolLevel, sub.packetId(), codes), client.voidPromise());
      }
    } catch (MqttDecodeException e) {
      // a malformed packet from a denied client is dropped like the rest
    } finally {
      packet.release();
    }
  }

  private static void publish(ByteBuf p, int protocolLevel, Channel client) {
    int r = p.readerIndex();
    int first = p.getUnsignedByte(r);
    int qos = (first >>> 1) & 3;
    if (qos == 0) {
      return;
    }
    int i = r + 1;
    while ((p.getByte(i) & 0x80) != 0) {
      i++;
    }
    i++;
    int topicLength = p.getUnsignedShort(i);
    int packetId = p.getUnsignedShort(i + 2 + topicLength);
    int ackType = qos == 1 ? PacketType.PUBACK.value() : PacketType.PUBREC.value();
    client.write(MqttMessages.ack(client.alloc(), ackType, protocolLevel, packetId, ReasonCode.NOT_AUTHORIZED),
        client.voidPromise());
  }
}

package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SubscribePacketTest {

  static byte[] subscribe(int level, int packetId, String... filters) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId);
    if (level == 5) {
      body.write(0);
    }
    for (String f : filters) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      body.write(b.length >> 8);
      body.write(b.length);
      body.writeBytes(b);
      body.write(1);
    }
    byte[] bytes = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x82);
    out.write(bytes.length);
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  @Test
  void parsesFiltersAndRewritesWithoutTheRefusedOnes() {
    for (int level : new int[] {4, 5}) {
      ByteBuf packet = Unpooled.wrappedBuffer(subscribe(level, 7, "a/b", "secret/#", "c/+"));
      SubscribePacket sub = SubscribePacket.parse(packet, level);
      assertThat(sub.packetId()).isEqualTo(7);
      assertThat(sub.entries()).extracting(SubscribePacket.Entry::filter).containsExactly("a/b", "secret/#", "c/+");
      ByteBuf rewritten = sub.rewrite(ByteBufAllocator.DEFAULT, packet, new boolean[] {true, false, true});
      assertThat(ByteBufUtil.getBytes(rewritten)).isEqualTo(subscribe(level, 7, "a/b", "c/+"));
      rewritten.release();
    }
  }

  @Test
  void malformedSubscribesAreRejected() {
    assertThatThrownBy(() -> SubscribePacket.parse(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 2, 0, 1}), 4))
        .isInstanceOf(MqttDecodeException.class);
    assertThatThrownBy(() -> SubscribePacket.parse(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 2, 0, 1}), 4))
        .isInstanceOf(MqttDecodeException.class).hasMessageContaining("no topic filter");
    assertThatThrownBy(() -> SubscribePacket.parse(Unpooled.wrappedBuffer(subscribe(4, 1, "a/#/b")), 4))
        .isInstanceOf(MqttDecodeException.class);
  }

  @Test
  void subackCodesReadAndWritten() {
    ByteBuf v5 = SubackPacket.write(ByteBufAllocator.DEFAULT, 5, 9, new int[] {1, 0x87});
    assertThat(ByteBufUtil.hexDump(v5)).isEqualTo("900500090001" + "87");
    assertThat(SubackPacket.packetId(v5)).isEqualTo(9);
    assertThat(SubackPacket.codes(v5, 5)).containsExactly(1, 0x87);
    ByteBuf v3 = SubackPacket.write(ByteBufAllocator.DEFAULT, 4, 9, new int[] {0x80, 2});
    assertThat(ByteBufUtil.hexDump(v3)).isEqualTo("9004000980" + "02");
    v5.release();
    v3.release();
  }

  @Test
  void mergedSubackKeepsTheBrokersProperties() {
    // SUBACK id 7, properties: reason string (0x1F) "ok", codes 1 and 0
    ByteBuf broker = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("900a0007" + "05" + "1f00026f6b" + "0100"));
    ByteBuf merged = SubackPacket.withCodes(ByteBufAllocator.DEFAULT, broker, 5, new int[] {1, 0x87, 0});
    assertThat(ByteBufUtil.hexDump(merged)).isEqualTo("900b0007" + "05" + "1f00026f6b" + "018700");
    assertThat(SubackPacket.codes(merged, 5)).containsExactly(1, 0x87, 0);
    ByteBuf v3 = SubackPacket.withCodes(ByteBufAllocator.DEFAULT,
        Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("9003000701")), 4, new int[] {0x80, 1});
    assertThat(ByteBufUtil.hexDump(v3)).isEqualTo("9004000780" + "01");
    merged.release();
    v3.release();
  }

  @Test
  void publishViewReadsTopicQosAndAlias() {
    PublishView view = new PublishView();
    byte[] v311 = RawPublish.publish(4, 1, 5, "a/b", null);
    view.parse(Unpooled.wrappedBuffer(v311), 4);
    assertThat(view.qos()).isEqualTo(1);
    assertThat(view.packetId()).isEqualTo(5);
    assertThat(view.topicLength()).isEqualTo(3);
    byte[] aliasOnly = RawPublish.publish(5, 0, 0, "", 3);
    view.parse(Unpooled.wrappedBuffer(aliasOnly), 5);
    assertThat(view.topicAlias()).isEqualTo(3);
    assertThat(view.topicLength()).isZero();
    assertThatThrownBy(() -> view.parse(Unpooled.wrappedBuffer(RawPublish.publish(4, 0, 0, "a/#", null)), 4))
        .isInstanceOf(MqttDecodeException.class);
  }

  /** PUBLISH packets by hand. */
  static final class RawPublish {
    static byte[] publish(int level, int qos, int packetId, String topic, Integer alias) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      body.write(t.length >> 8);
      body.write(t.length);
      body.writeBytes(t);
      if (qos > 0) {
        body.write(packetId >> 8);
        body.write(packetId);
      }
      if (level == 5) {
        if (alias == null) {
          body.write(0);
        } else {
          body.write(3);
          body.write(0x23);
          body.write(alias >> 8);
          body.write(alias);
        }
      }
      body.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
      byte[] bytes = body.toByteArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0x30 | (qos << 1));
      out.write(bytes.length);
      out.writeBytes(bytes);
      return out.toByteArray();
    }
  }
}

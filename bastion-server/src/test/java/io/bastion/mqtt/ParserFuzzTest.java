package io.bastion.mqtt;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Fuzzing of the parsers that read client bytes. In a normal build they run in regression mode
 * (the seed inputs beside this class); with {@code JAZZER_FUZZ=1} Jazzer explores for the given
 * time. The only failure allowed is the defined rejection, {@link MqttDecodeException}.
 */
class ParserFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void connect(byte[] data) {
    try {
      ConnectParser.parse(Unpooled.wrappedBuffer(data));
    } catch (MqttDecodeException expected) {
      // the defined rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void publish(FuzzedDataProvider input) {
    int level = input.pickValue(new int[] {3, 4, 5});
    ByteBuf packet = Unpooled.wrappedBuffer(input.consumeRemainingAsBytes());
    PublishView view = new PublishView();
    try {
      view.parse(packet, level);
      if (view.topicStart() + view.topicLength() > packet.writerIndex()) {
        throw new IllegalStateException("topic outside the packet");
      }
      view.topic(packet);
    } catch (MqttDecodeException expected) {
      // the defined rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void subscribe(FuzzedDataProvider input) {
    int level = input.pickValue(new int[] {3, 4, 5});
    boolean keepFirst = input.consumeBoolean();
    ByteBuf packet = Unpooled.wrappedBuffer(input.consumeRemainingAsBytes());
    try {
      SubscribePacket sub = SubscribePacket.parse(packet, level);
      boolean[] keep = new boolean[sub.entries().size()];
      keep[0] = keepFirst;
      keep[keep.length - 1] = true;
      ByteBuf rewritten = sub.rewrite(ByteBufAllocator.DEFAULT, packet, keep);
      try {
        SubscribePacket again = SubscribePacket.parse(rewritten, level);
        if (again.packetId() != sub.packetId()) {
          throw new IllegalStateException("rewrite changed the packet identifier");
        }
      } finally {
        rewritten.release();
      }
    } catch (MqttDecodeException expected) {
      // the defined rejection
    }
  }
}

package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientPacketsTest {

  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  private static byte[] bytes(ByteBuf b) {
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Test
  void subscribe() {
    assertThat(bytes(ClientPackets.subscribe(ALLOC, 7, "a/#", 1)))
        .containsExactly(0x82, 0x08, 0x00, 0x07, 0x00, 0x03, 'a', '/', '#', 0x01);
  }

  @Test
  void publishHeaderAtQos0And1() {
    byte[] topic = "t".getBytes(StandardCharsets.UTF_8);
    assertThat(bytes(ClientPackets.publishHeader(ALLOC, topic, 0, 0, 2).writeBytes(new byte[] {9, 9})))
        .containsExactly(0x30, 0x05, 0x00, 0x01, 't', 9, 9);
    assertThat(bytes(ClientPackets.publishHeader(ALLOC, topic, 1, 258, 0)))
        .containsExactly(0x32, 0x05, 0x00, 0x01, 't', 0x01, 0x02);
  }

  @Test
  void largeRemainingLengthUsesSeveralBytes() {
    byte[] topic = "t".getBytes(StandardCharsets.UTF_8);
    ByteBuf header = ClientPackets.publishHeader(ALLOC, topic, 0, 0, 200);
    assertThat(bytes(header)).startsWith(0x30, 0xCB, 0x01); // 203 = 0x4B + 1 × 128
  }

  @Test
  void pingreqAndPuback() {
    assertThat(bytes(ClientPackets.pingreq(ALLOC))).containsExactly(0xC0, 0x00);
    assertThat(bytes(ClientPackets.puback(ALLOC, 5))).containsExactly(0x40, 0x02, 0x00, 0x05);
  }
}

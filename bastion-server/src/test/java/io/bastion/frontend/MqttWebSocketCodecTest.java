package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MQTT packets and WebSocket frames do not line up; the codec and frame decoder make them. */
class MqttWebSocketCodecTest {

  private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
  private static final byte[] PUBLISH = {0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i'};

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new MqttWebSocketCodec(), new MqttFrameDecoder(1024));
  }

  private static byte[] read(EmbeddedChannel ch) {
    ByteBuf b = ch.readInbound();
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Test
  void onePacketOverSeveralFramesAndSeveralPacketsInOneFrame() {
    EmbeddedChannel ch = channel();
    byte[] both = new byte[PUBLISH.length + PINGREQ.length];
    System.arraycopy(PUBLISH, 0, both, 0, PUBLISH.length);
    System.arraycopy(PINGREQ, 0, both, PUBLISH.length, PINGREQ.length);
    // every split point of PUBLISH+PINGREQ, the second half in a continuation frame
    for (int split = 1; split < both.length; split++) {
      ch.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(Arrays.copyOf(both, split))));
      ch.writeInbound(new ContinuationWebSocketFrame(true, 0,
          Unpooled.wrappedBuffer(Arrays.copyOfRange(both, split, both.length))));
      assertThat(read(ch)).as("split at " + split).isEqualTo(PUBLISH);
      assertThat(read(ch)).isEqualTo(PINGREQ);
      assertThat((Object) ch.readInbound()).isNull();
    }
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void outgoingBytesBecomeBinaryFrames() {
    EmbeddedChannel ch = channel();
    ch.writeOutbound(Unpooled.wrappedBuffer(PINGREQ));
    BinaryWebSocketFrame frame = ch.readOutbound();
    assertThat(ByteBufUtil.getBytes(frame.content())).isEqualTo(PINGREQ);
    frame.release();
  }

  @Test
  void textFramesEndTheConnection() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new TextWebSocketFrame("hello"));
    CloseWebSocketFrame close = ch.readOutbound();
    assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code());
    close.release();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void closingAfterTheUpgradeSendsACloseFrameFirst() {
    EmbeddedChannel ch = channel();
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/mqtt", null, "mqtt"));
    ch.close();
    CloseWebSocketFrame close = ch.readOutbound();
    assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.NORMAL_CLOSURE.code());
    close.release();
    assertThat(ch.isOpen()).isFalse();
  }
}

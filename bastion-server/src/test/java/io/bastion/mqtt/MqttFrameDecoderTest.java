package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttFrameDecoderTest {

  private static final byte[] PINGREQ = Bytes.hex("C0 00");
  private static final byte[] PUBLISH =
      Bytes.packet(0x32, new Bytes().str("a/b").u16(7).raw("hello".getBytes()).toArray());
  private static final byte[] SUBSCRIBE =
      Bytes.packet(0x82, new Bytes().u16(1).str("sensors/#").u8(1).toArray());
  private static final byte[] PUBREL = Bytes.hex("62 02 00 07");
  private static final byte[] DISCONNECT = Bytes.hex("E0 00");

  private EmbeddedChannel channel = new EmbeddedChannel(new MqttFrameDecoder(1024 * 1024));

  @BeforeAll
  static void paranoid() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void emitsEveryPacketOfOneBuffer() {
    byte[][] packets = {PINGREQ, PUBLISH, ConnectBytes.v5().build(), SUBSCRIBE, PUBREL, DISCONNECT};
    channel.writeInbound(Unpooled.wrappedBuffer(concat(packets)));

    assertThat(readAll()).containsExactly(packets);
  }

  @Test
  void emitsPacketsOnceCompleteWhateverTheSplit() {
    byte[][] packets = {PUBLISH, PINGREQ, ConnectBytes.v311().build(), SUBSCRIBE, DISCONNECT};
    byte[] stream = concat(packets);
    for (int split = 0; split <= stream.length; split++) {
      for (int second = split; second <= stream.length; second++) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttFrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, second)));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, second, stream.length)));
        assertThat(readAll(ch)).as("splits at %d and %d", split, second).containsExactly(packets);
        assertThat(ch.finish()).isFalse();
      }
    }
  }

  @Test
  void emitsPacketsFedOneByteAtATime() {
    byte[] stream = concat(PUBLISH, PINGREQ, SUBSCRIBE);
    for (byte b : stream) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(readAll()).containsExactly(PUBLISH, PINGREQ, SUBSCRIBE);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 127, 128, 16383, 16384, 2097151, 2097152})
  void delimitsRemainingLengthEdges(int remaining) {
    channel = new EmbeddedChannel(new MqttFrameDecoder(3 * 1024 * 1024));
    byte[] body = new byte[remaining];
    Arrays.fill(body, (byte) 0x5A);
    byte[] packet = Bytes.packet(0x30, body);
    int lengthBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
    int headerLength = 1 + lengthBytes;
    assertThat(packet.length).isEqualTo(headerLength + remaining);

    // everything but the last byte: nothing yet (unless the packet is only a header)
    channel.writeInbound(Unpooled.wrappedBuffer(packet, 0, packet.length - 1));
    if (remaining > 0) {
      assertThat((Object) channel.readInbound()).isNull();
    }
    channel.writeInbound(Unpooled.wrappedBuffer(packet, packet.length - 1, 1));

    assertThat(readAll()).containsExactly(packet);
  }

  @Test
  void acceptsTheLargestRemainingLengthHeader() {
    channel = new EmbeddedChannel(new MqttFrameDecoder(MqttFrameDecoder.MAX_REMAINING_LENGTH + 5));
    channel.writeInbound(Unpooled.wrappedBuffer(Bytes.hex("30 FF FF FF 7F 00 01")));

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(MqttFrameDecoder.MAX_REMAINING_LENGTH).isEqualTo(268_435_455);
  }

  @Test
  void refusesFiveByteRemainingLength() {
    assertDecodeError("30 FF FF FF FF 01", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void refusesFiveByteRemainingLengthAsSoonAsTheFourthByteContinues() {
    assertDecodeError("30 80 80 80 80", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void refusesOversizePacketFromItsHeaderAlone() {
    // 10 MB declared, 1 MB allowed, only the 5 header bytes sent
    byte[] header = new Bytes().u8(0x30).vbi(10 * 1024 * 1024).toArray();
    assertThat(header).hasSize(5);

    MqttDecodeException e = assertDecodeError(header, ReasonCode.PACKET_TOO_LARGE);
    assertThat(e.protocolLevel()).isZero();
    assertThat(e.getMessage()).contains("exceeds");
  }

  @Test
  void acceptsPacketOfExactlyTheMaximumSize() {
    channel = new EmbeddedChannel(new MqttFrameDecoder(10));
    byte[] packet = Bytes.packet(0x30, new byte[8]);
    channel.writeInbound(Unpooled.wrappedBuffer(packet));
    assertThat(readAll()).containsExactly(packet);

    assertDecodeError(Bytes.packet(0x30, new byte[9]), ReasonCode.PACKET_TOO_LARGE);
  }

  @Test
  void oversizeConnectCarriesTheProtocolLevelWhenItArrived() {
    channel = new EmbeddedChannel(new MqttFrameDecoder(64));
    byte[] start = new Bytes().u8(0x10).vbi(1000).str("MQTT").u8(5).toArray();

    MqttDecodeException e = assertDecodeError(start, ReasonCode.PACKET_TOO_LARGE);
    assertThat(e.protocolLevel()).isEqualTo(5);
  }

  @Test
  void oversizeConnectWithoutItsVariableHeaderHasUnknownLevel() {
    channel = new EmbeddedChannel(new MqttFrameDecoder(64));
    byte[] start = new Bytes().u8(0x10).vbi(1000).str("MQTT").toArray(); // level not yet here

    MqttDecodeException e = assertDecodeError(start, ReasonCode.PACKET_TOO_LARGE);
    assertThat(e.protocolLevel()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00 00", "60 02 00 01", "80 00", "A0 00", "11 00", "C1 00", "E8 00", "36 00", "3E 00",
        "22 02 00 00", "F1 00"
      })
  void refusesInvalidFixedHeaderFlags(String packet) {
    assertDecodeError(packet, ReasonCode.MALFORMED_PACKET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"62 02 00 01", "82 00", "A2 00", "30 00", "3B 00", "3D 00", "F0 00"})
  void acceptsValidFixedHeaderFlags(String packet) {
    channel.writeInbound(Unpooled.wrappedBuffer(Bytes.hex(packet)));
    assertThat(readAll()).containsExactly(Bytes.hex(packet));
  }

  @Test
  void emitsSlicesOfTheInputWithoutCopying() {
    ByteBuf input = Unpooled.wrappedBuffer(concat(PINGREQ, PUBLISH));
    channel.writeInbound(input);

    ByteBuf ping = channel.readInbound();
    ByteBuf publish = channel.readInbound();
    try {
      assertThat(ping.array()).isSameAs(input.array());
      assertThat(publish.array()).isSameAs(input.array());
      assertThat(publish.arrayOffset() + publish.readerIndex()).isEqualTo(PINGREQ.length);
      // the retained slices keep the input alive, and only they do
      assertThat(input.refCnt()).isEqualTo(2);
    } finally {
      ping.release();
      publish.release();
    }
    assertThat(input.refCnt()).isZero();
  }

  @Test
  void releasesEverythingWhenEachOutputIsReleased() {
    List<ByteBuf> inputs = new ArrayList<>();
    byte[] stream = concat(PUBLISH, SUBSCRIBE, PINGREQ);
    for (int i = 0; i < stream.length; i += 5) {
      ByteBuf in = Unpooled.directBuffer().writeBytes(stream, i, Math.min(5, stream.length - i));
      inputs.add(in);
      channel.writeInbound(in);
    }
    for (ByteBuf out; (out = channel.readInbound()) != null; ) {
      out.release();
    }
    assertThat(channel.finish()).isFalse();
    assertThat(inputs).allSatisfy(in -> assertThat(in.refCnt()).isZero());
  }

  @Test
  void emitsNothingAfterAnError() {
    ByteBuf input = Unpooled.wrappedBuffer(concat(PINGREQ, Bytes.hex("00 00"), PINGREQ));
    assertThatThrownBy(() -> channel.writeInbound(input)).isInstanceOf(MqttDecodeException.class);
    assertThat(readAll()).containsExactly(PINGREQ); // only what came before the garbage
    assertThat(input.refCnt()).isZero();

    ByteBuf later = Unpooled.wrappedBuffer(concat(PINGREQ, PUBLISH));
    channel.writeInbound(later);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(later.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void exceptionIsStacklessAndNotWrapped() {
    MqttDecodeException e = assertDecodeError("00 00", ReasonCode.MALFORMED_PACKET);
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.getCause()).isNull();
  }

  @Test
  void packetTypeOfFirstByte() {
    assertThat(PacketType.of(0x10)).isEqualTo(PacketType.CONNECT);
    assertThat(PacketType.of(0x3D)).isEqualTo(PacketType.PUBLISH);
    assertThat(PacketType.of(0xF0)).isEqualTo(PacketType.AUTH);
    assertThat(PacketType.of(0x0F)).isNull();
    for (PacketType t : PacketType.values()) {
      assertThat(PacketType.of(t.value() << 4)).isEqualTo(t);
    }
  }

  private MqttDecodeException assertDecodeError(String hex, ReasonCode expected) {
    return assertDecodeError(Bytes.hex(hex), expected);
  }

  private MqttDecodeException assertDecodeError(byte[] bytes, ReasonCode expected) {
    ByteBuf input = Unpooled.wrappedBuffer(bytes);
    Throwable thrown = null;
    try {
      channel.writeInbound(input);
    } catch (Throwable t) {
      thrown = t;
    }
    assertThat(thrown).isInstanceOf(MqttDecodeException.class);
    MqttDecodeException e = (MqttDecodeException) thrown;
    assertThat(e.reasonCode()).isEqualTo(expected);
    assertThat(input.refCnt()).isZero();
    assertThat((Object) channel.readInbound()).isNull();
    return e;
  }

  private List<byte[]> readAll() {
    return readAll(channel);
  }

  private static List<byte[]> readAll(EmbeddedChannel ch) {
    List<byte[]> packets = new ArrayList<>();
    for (ByteBuf buf; (buf = ch.readInbound()) != null; ) {
      packets.add(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    return packets;
  }

  static byte[] concat(byte[]... parts) {
    Bytes b = new Bytes();
    for (byte[] p : parts) {
      b.raw(p);
    }
    return b.toArray();
  }
}

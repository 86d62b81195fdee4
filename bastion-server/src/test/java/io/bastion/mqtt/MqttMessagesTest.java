package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MqttMessagesTest {

  private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;

  @Test
  void connackForMqtt5CarriesTheReasonCodeAndNoProperties() {
    assertBytes(MqttMessages.connack(alloc, 5, ReasonCode.SUCCESS), "20 03 00 00 00");
    assertBytes(MqttMessages.connack(alloc, 5, ReasonCode.PACKET_TOO_LARGE), "20 03 00 95 00");
    assertBytes(MqttMessages.connack(alloc, 5, ReasonCode.BANNED), "20 03 00 8A 00");
    assertBytes(MqttMessages.connack(alloc, 5, ReasonCode.SERVER_BUSY), "20 03 00 89 00");
    assertBytes(
        MqttMessages.connack(alloc, 5, ReasonCode.CONNECTION_RATE_EXCEEDED), "20 03 00 9F 00");
  }

  @Test
  void disconnectCanNameTheServerToUse() {
    // reason 9C, properties 9 bytes: 1C, length 6, "b:1883"
    assertBytes(MqttMessages.disconnect(alloc, 5, ReasonCode.USE_ANOTHER_SERVER, "b:1883"),
        "E0 0B 9C 09 1C 00 06 62 3A 31 38 38 33");
    assertBytes(MqttMessages.disconnect(alloc, 5, ReasonCode.USE_ANOTHER_SERVER, null), "E0 02 9C 00");
    assertThat(MqttMessages.disconnect(alloc, 4, ReasonCode.USE_ANOTHER_SERVER, "b:1883")).isNull();
  }

  @Test
  void connackForMqtt311AndMqtt31CarriesTheReturnCode() {
    for (int level : new int[] {3, 4}) {
      assertBytes(MqttMessages.connack(alloc, level, ReasonCode.SUCCESS), "20 02 00 00");
      assertBytes(
          MqttMessages.connack(alloc, level, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
          "20 02 00 01");
      assertBytes(
          MqttMessages.connack(alloc, level, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID),
          "20 02 00 02");
      assertBytes(MqttMessages.connack(alloc, level, ReasonCode.SERVER_BUSY), "20 02 00 03");
      assertBytes(
          MqttMessages.connack(alloc, level, ReasonCode.BAD_USERNAME_OR_PASSWORD), "20 02 00 04");
      assertBytes(MqttMessages.connack(alloc, level, ReasonCode.BANNED), "20 02 00 05");
    }
  }

  @Test
  void connackIsNullWhenMqtt311HasNoCodeForTheReason() {
    assertThat(MqttMessages.connack(alloc, 4, ReasonCode.PACKET_TOO_LARGE)).isNull();
    assertThat(MqttMessages.connack(alloc, 3, ReasonCode.MALFORMED_PACKET)).isNull();
    assertThat(MqttMessages.connack(alloc, 4, ReasonCode.QUOTA_EXCEEDED)).isNull();
  }

  @Test
  void connackForAnUnknownLevelIsTheMqtt311UnsupportedVersion() {
    assertBytes(
        MqttMessages.connack(alloc, 6, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION), "20 02 00 01");
    assertBytes(
        MqttMessages.connack(alloc, 0, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION), "20 02 00 01");
    assertBytes(MqttMessages.connack(alloc, 2, ReasonCode.NOT_AUTHORIZED), "20 02 00 01");
    // level 0 with another reason: the level was never read, there is nothing safe to answer
    assertThat(MqttMessages.connack(alloc, 0, ReasonCode.PACKET_TOO_LARGE)).isNull();
  }

  @Test
  void disconnectOnlyForMqtt5() {
    assertBytes(
        MqttMessages.disconnect(alloc, 5, ReasonCode.SERVER_SHUTTING_DOWN), "E0 02 8B 00");
    assertBytes(
        MqttMessages.disconnect(alloc, 5, ReasonCode.ADMINISTRATIVE_ACTION), "E0 02 98 00");
    assertBytes(MqttMessages.disconnect(alloc, 5, ReasonCode.USE_ANOTHER_SERVER), "E0 02 9C 00");
    assertBytes(MqttMessages.disconnect(alloc, 5, ReasonCode.NORMAL_DISCONNECTION), "E0 00");
    assertThat(MqttMessages.disconnect(alloc, 4, ReasonCode.SERVER_SHUTTING_DOWN)).isNull();
    assertThat(MqttMessages.disconnect(alloc, 3, ReasonCode.SERVER_SHUTTING_DOWN)).isNull();
  }

  @Test
  void disconnectV311() {
    assertBytes(MqttMessages.disconnectV311(alloc), "E0 00");
  }

  @Test
  void connectIsAMinimalCleanMqtt311Connect() {
    ByteBuf connect = MqttMessages.connect(alloc, "probe", 30);
    assertBytes(
        connect.retainedDuplicate(),
        "10 11 00 04 4D 51 54 54 04 02 00 1E 00 05 70 72 6F 62 65");

    ConnectPacket p = ConnectParser.parse(connect);
    assertThat(p.protocolLevel()).isEqualTo(4);
    assertThat(p.clientId()).isEqualTo("probe");
    assertThat(p.cleanStart()).isTrue();
    assertThat(p.keepAliveSeconds()).isEqualTo(30);
    connect.release();
  }

  @Test
  void connectWithALongClientIdUsesATwoByteRemainingLength() {
    String id = "p".repeat(200);
    ByteBuf connect = MqttMessages.connect(alloc, id, 0);
    assertThat((int) connect.getUnsignedByte(1)).isEqualTo(0x80 | (212 & 0x7F));
    assertThat((int) connect.getUnsignedByte(2)).isEqualTo(1);
    assertThat(connect.readableBytes()).isEqualTo(3 + 212);
    assertThat(ConnectParser.parse(connect).clientId()).isEqualTo(id);
    connect.release();
  }

  @Test
  void connackReturnCodeReadsBothVersions() {
    assertThat(MqttMessages.connackReturnCode(wrap("20 02 00 00"))).isZero();
    assertThat(MqttMessages.connackReturnCode(wrap("20 02 01 05"))).isEqualTo(5);
    assertThat(MqttMessages.connackReturnCode(wrap("20 03 00 8A 00"))).isEqualTo(0x8A);
    // MQTT 5 CONNACK with properties long enough for a two-byte remaining length
    byte[] props = new byte[200];
    byte[] v5 = new Bytes().u8(0x20).vbi(3 + 200).u8(0).u8(0x87).vbi(200).raw(props).toArray();
    assertThat(MqttMessages.connackReturnCode(Unpooled.wrappedBuffer(v5))).isEqualTo(0x87);
  }

  @Test
  void connackReturnCodeIsMinusOneForAnythingElse() {
    assertThat(MqttMessages.connackReturnCode(wrap("C0 00"))).isEqualTo(-1);
    assertThat(MqttMessages.connackReturnCode(wrap("20 02 00"))).isEqualTo(-1);
    assertThat(MqttMessages.connackReturnCode(wrap("20 01 00"))).isEqualTo(-1);
    assertThat(MqttMessages.connackReturnCode(wrap("20"))).isEqualTo(-1);
    assertThat(MqttMessages.connackReturnCode(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
  }

  @Test
  void connackReturnCodeLeavesTheBufferAlone() {
    ByteBuf buf = wrap("20 02 00 04");
    assertThat(MqttMessages.connackReturnCode(buf)).isEqualTo(4);
    assertThat(buf.readerIndex()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ReasonCode.class)
  void everyConnackWeWriteReadsBack(ReasonCode code) {
    for (int level : new int[] {3, 4, 5}) {
      ByteBuf connack = MqttMessages.connack(alloc, level, code);
      int expected = level == 5 ? code.v5() : code.v3ConnackCode();
      if (expected < 0) {
        assertThat(connack).isNull();
        continue;
      }
      assertThat(MqttMessages.connackReturnCode(connack)).isEqualTo(expected);
      connack.release();
    }
  }

  private static ByteBuf wrap(String hex) {
    return Unpooled.wrappedBuffer(Bytes.hex(hex));
  }

  private static void assertBytes(ByteBuf buf, String hex) {
    try {
      assertThat(ByteBufUtil.hexDump(buf)).isEqualToIgnoringCase(hex.replace(" ", ""));
    } finally {
      buf.release();
    }
  }
}

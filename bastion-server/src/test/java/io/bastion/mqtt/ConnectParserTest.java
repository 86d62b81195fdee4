package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectParserTest {

  @Test
  void parsesFullMqtt31Connect() {
    ConnectBytes c =
        ConnectBytes.v31()
            .clientId("paho-31")
            .will(2, true, "status/paho-31", "offline")
            .credentials("alice", "secret".getBytes(StandardCharsets.UTF_8));
    c.cleanStart = false;
    c.keepAlive = 30;

    ConnectPacket p = parse(c.build());

    assertThat(p.protocolLevel()).isEqualTo(3);
    assertThat(p.protocolName()).isEqualTo("MQIsdp");
    assertThat(p.isMqtt5()).isFalse();
    assertThat(p.cleanStart()).isFalse();
    assertThat(p.keepAliveSeconds()).isEqualTo(30);
    assertThat(p.clientId()).isEqualTo("paho-31");
    assertThat(p.willFlag()).isTrue();
    assertThat(p.willQos()).isEqualTo(2);
    assertThat(p.willRetain()).isTrue();
    assertThat(p.willTopic()).isEqualTo("status/paho-31");
    assertThat(p.willPayloadLength()).isEqualTo(7);
    assertThat(p.username()).isEqualTo("alice");
    assertThat(p.password()).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
    assertDefaultsOfV5Fields(p);
  }

  @Test
  void parsesFullMqtt311Connect() {
    ConnectBytes c =
        ConnectBytes.v311()
            .clientId("sensor-ü-42")
            .will(1, false, "status/sensor", "")
            .credentials("bob", new byte[] {0, 1, 2, (byte) 0xFF});
    c.keepAlive = 65535;

    ConnectPacket p = parse(c.build());

    assertThat(p.protocolLevel()).isEqualTo(4);
    assertThat(p.protocolName()).isEqualTo("MQTT");
    assertThat(p.cleanStart()).isTrue();
    assertThat(p.keepAliveSeconds()).isEqualTo(65535);
    assertThat(p.clientId()).isEqualTo("sensor-ü-42");
    assertThat(p.willQos()).isEqualTo(1);
    assertThat(p.willRetain()).isFalse();
    assertThat(p.willTopic()).isEqualTo("status/sensor");
    assertThat(p.willPayloadLength()).isZero();
    assertThat(p.username()).isEqualTo("bob");
    assertThat(p.password()).containsExactly(0, 1, 2, 0xFF);
    assertDefaultsOfV5Fields(p);
  }

  @Test
  void parsesMinimalMqtt311Connect() {
    ConnectPacket p = parse(ConnectBytes.v311().clientId("").build());

    assertThat(p.clientId()).isEmpty();
    assertThat(p.username()).isNull();
    assertThat(p.password()).isNull();
    assertThat(p.willFlag()).isFalse();
    assertThat(p.willTopic()).isNull();
    assertThat(p.willPayloadLength()).isZero();
  }

  @Test
  void parsesFullMqtt5Connect() {
    ConnectBytes c =
        ConnectBytes.v5()
            .clientId("")
            .will(1, true, "status/dev", "{\"up\":false}")
            .credentials("carol", "pw".getBytes(StandardCharsets.UTF_8))
            .properties(
                new Bytes()
                    .u8(0x11).u32(0xFFFFFFFFL)
                    .u8(0x21).u16(100)
                    .u8(0x27).u32(1 << 20)
                    .u8(0x22).u16(10)
                    .u8(0x19).u8(1)
                    .u8(0x17).u8(0)
                    .u8(0x26).str("region").str("eu")
                    .u8(0x26).str("region").str("us")
                    .u8(0x15).str("SCRAM-SHA-256")
                    .u8(0x16).bin(new byte[] {9, 8, 7}))
            .willProperties(
                new Bytes()
                    .u8(0x18).u32(30)
                    .u8(0x01).u8(1)
                    .u8(0x02).u32(3600)
                    .u8(0x03).str("application/json")
                    .u8(0x08).str("replies/dev")
                    .u8(0x09).bin(new byte[] {1, 2})
                    .u8(0x26).str("k").str("v")
                    .u8(0x26).str("k").str("w"));
    c.keepAlive = 0;

    ConnectPacket p = parse(c.build());

    assertThat(p.protocolLevel()).isEqualTo(5);
    assertThat(p.isMqtt5()).isTrue();
    assertThat(p.protocolName()).isEqualTo("MQTT");
    assertThat(p.cleanStart()).isTrue();
    assertThat(p.keepAliveSeconds()).isZero();
    assertThat(p.clientId()).isEmpty();
    assertThat(p.username()).isEqualTo("carol");
    assertThat(p.password()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
    assertThat(p.willTopic()).isEqualTo("status/dev");
    assertThat(p.willQos()).isEqualTo(1);
    assertThat(p.willRetain()).isTrue();
    assertThat(p.willPayloadLength()).isEqualTo(12);
    assertThat(p.sessionExpiryInterval()).isEqualTo(0xFFFFFFFFL);
    assertThat(p.receiveMaximum()).isEqualTo(100);
    assertThat(p.maximumPacketSize()).isEqualTo(1 << 20);
    assertThat(p.topicAliasMaximum()).isEqualTo(10);
    assertThat(p.requestResponseInformation()).isTrue();
    assertThat(p.requestProblemInformation()).isFalse();
    assertThat(p.userProperties())
        .containsExactly(Map.entry("region", "eu"), Map.entry("region", "us"));
    assertThat(p.authenticationMethod()).isEqualTo("SCRAM-SHA-256");
    assertThat(p.authenticationData()).containsExactly(9, 8, 7);
  }

  @Test
  void mqtt5DefaultsWhenNoPropertiesAreSent() {
    ConnectPacket p = parse(ConnectBytes.v5().build());

    assertThat(p.protocolLevel()).isEqualTo(5);
    assertDefaultsOfV5Fields(p);
  }

  @Test
  void mqtt5AllowsPasswordWithoutUsername() {
    ConnectPacket p = parse(ConnectBytes.v5().credentials(null, new byte[] {1}).build());

    assertThat(p.username()).isNull();
    assertThat(p.password()).containsExactly(1);
  }

  @Test
  void leavesTheReaderIndexAndBytesAsTheyWere() {
    byte[] bytes =
        ConnectBytes.v5()
            .properties(new Bytes().u8(0x26).str("a").str("b"))
            .credentials("u", new byte[] {1})
            .build();
    // a packet in the middle of a larger buffer, as a slice of a cumulation would be
    ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {7, 7}).writeBytes(bytes);
    buf.readerIndex(2);

    ConnectPacket p = ConnectParser.parse(buf);

    assertThat(p.username()).isEqualTo("u");
    assertThat(buf.readerIndex()).isEqualTo(2);
    assertThat(buf.writerIndex()).isEqualTo(2 + bytes.length);
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(buf)).isEqualTo(bytes);
    buf.release();
  }

  @Test
  void toStringHidesThePassword() {
    ConnectPacket p = parse(ConnectBytes.v311().credentials("u", "hunter2".getBytes()).build());
    assertThat(p.toString()).doesNotContain("hunter2").contains("password=present");
  }

  // --- fixed header, protocol name and level ---

  @Test
  void refusesFixedHeaderFlags() {
    ConnectBytes c = ConnectBytes.v311();
    c.firstByte = 0x12;
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, 0);
  }

  @Test
  void refusesAnotherPacketType() {
    assertRefused(Bytes.hex("C0 00"), ReasonCode.PROTOCOL_ERROR, 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 6, 7, 255})
  void refusesUnknownLevelsWithTheLevelRead(int level) {
    ConnectBytes c = ConnectBytes.v311();
    c.level = level;
    assertRefused(c.build(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, level);
  }

  @Test
  void refusesNameAndLevelMismatch() {
    ConnectBytes mqttAt3 = ConnectBytes.v311();
    mqttAt3.level = 3;
    assertRefused(mqttAt3.build(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, 3);

    ConnectBytes mqisdpAt4 = ConnectBytes.v31();
    mqisdpAt4.level = 4;
    assertRefused(mqisdpAt4.build(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, 4);

    ConnectBytes other = ConnectBytes.v5();
    other.protocolName = ConnectBytes.utf8("MQTX");
    assertRefused(other.build(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, 5);
  }

  // --- connect flags ---

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5})
  void refusesReservedFlag(int level) {
    ConnectBytes c = at(level);
    c.flagsOverride = 0x03;
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, level);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0A, 0x12, 0x22})
  void refusesWillQosOrRetainWithoutWill(int flags) {
    ConnectBytes c = ConnectBytes.v311();
    c.flagsOverride = flags;
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, 4);
  }

  @Test
  void refusesWillQos3() {
    ConnectBytes c = ConnectBytes.v5().will(1, false, "t", "p");
    c.willQos = 3;
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, 5);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4})
  void refusesPasswordWithoutUsernameBeforeMqtt5(int level) {
    assertRefused(
        at(level).credentials(null, new byte[] {1}).build(), ReasonCode.MALFORMED_PACKET, level);
  }

  // --- client identifier ---

  @Test
  void mqtt31ClientIdHasOneTo23Characters() {
    assertThat(parse(ConnectBytes.v31().clientId("a").build()).clientId()).isEqualTo("a");
    assertThat(parse(ConnectBytes.v31().clientId("x".repeat(23)).build()).clientId()).hasSize(23);

    assertRefused(
        ConnectBytes.v31().clientId("").build(), ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, 3);
    assertRefused(
        ConnectBytes.v31().clientId("x".repeat(24)).build(),
        ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
        3);
  }

  @Test
  void mqtt311EmptyClientIdNeedsCleanSession() {
    ConnectBytes c = ConnectBytes.v311().clientId("");
    c.cleanStart = false;
    assertRefused(c.build(), ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, 4);
  }

  @Test
  void mqtt5AllowsEmptyClientIdWithoutCleanStart() {
    ConnectBytes c = ConnectBytes.v5().clientId("");
    c.cleanStart = false;
    assertThat(parse(c.build()).clientId()).isEmpty();
  }

  @Test
  void malformedWinsOverABadClientId() {
    ConnectBytes c = ConnectBytes.v311().clientId("");
    c.cleanStart = false;
    c.trailing = new byte[] {1};
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, 4);
  }

  // --- strings ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "61 00 62", // U+0000
        "C0 80", // overlong U+0000
        "C3", // truncated sequence
        "ED A0 80", // encoded surrogate
        "FF", // never valid
        "E0 80 AF" // overlong '/'
      })
  void refusesIllFormedStrings(String hex) {
    for (int level : new int[] {3, 4, 5}) {
      ConnectBytes c = at(level);
      c.clientId = Bytes.hex(hex);
      assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, level);

      ConnectBytes user = at(level).credentials("u", null);
      user.username = Bytes.hex(hex);
      assertRefused(user.build(), ReasonCode.MALFORMED_PACKET, level);

      ConnectBytes topic = at(level).will(0, false, "t", "p");
      topic.willTopic = Bytes.hex(hex);
      assertRefused(topic.build(), ReasonCode.MALFORMED_PACKET, level);
    }
  }

  @Test
  void acceptsMultiByteCharacters() {
    ConnectPacket p = parse(ConnectBytes.v5().clientId("日本-😀").credentials("ünï", null).build());
    assertThat(p.clientId()).isEqualTo("日本-😀");
    assertThat(p.username()).isEqualTo("ünï");
  }

  // --- will topic ---

  @ParameterizedTest
  @ValueSource(strings = {"", "a/+/b", "a/#", "#", "+"})
  void refusesInvalidWillTopics(String topic) {
    assertRefused(
        ConnectBytes.v311().will(0, false, topic, "x").build(), ReasonCode.MALFORMED_PACKET, 4);
    assertRefused(
        ConnectBytes.v31().will(0, false, topic, "x").build(), ReasonCode.MALFORMED_PACKET, 3);
    assertRefused(
        ConnectBytes.v5().will(0, false, topic, "x").build(), ReasonCode.TOPIC_NAME_INVALID, 5);
  }

  // --- MQTT 5 CONNECT properties ---

  @Test
  void refusesZeroReceiveMaximum() {
    assertV5PropertiesRefused(new Bytes().u8(0x21).u16(0), ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void refusesZeroMaximumPacketSize() {
    assertV5PropertiesRefused(new Bytes().u8(0x27).u32(0), ReasonCode.PROTOCOL_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x19, 0x17})
  void refusesRequestInformationOtherThanZeroOrOne(int id) {
    assertV5PropertiesRefused(new Bytes().u8(id).u8(2), ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void refusesAuthenticationDataWithoutMethod() {
    assertV5PropertiesRefused(new Bytes().u8(0x16).bin(new byte[] {1}), ReasonCode.PROTOCOL_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x02, 0x18, 0x12, 0x1F, 0x24, 0x7F})
  void refusesPropertiesNotAllowedInConnect(int id) {
    assertV5PropertiesRefused(new Bytes().u8(id).u8(0), ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void refusesDuplicateProperties() {
    assertV5PropertiesRefused(
        new Bytes().u8(0x11).u32(1).u8(0x11).u32(2), ReasonCode.PROTOCOL_ERROR);
    assertV5PropertiesRefused(
        new Bytes().u8(0x15).str("a").u8(0x15).str("b"), ReasonCode.PROTOCOL_ERROR);
    assertV5PropertiesRefused(new Bytes().u8(0x17).u8(1).u8(0x17).u8(1), ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void refusesPropertyOverrunningItsBlock() {
    byte[] body = ConnectBytes.v5().properties(new Bytes().u8(0x11).u32(7)).body();
    // the property length byte follows name (6), level, flags and keep alive (4): the session
    // expiry interval needs 5 bytes, the block is made to say 3
    assertThat(body[10]).isEqualTo((byte) 5);
    body[10] = 3;
    assertRefused(Bytes.packet(0x10, body), ReasonCode.MALFORMED_PACKET, 5);
  }

  @Test
  void refusesPropertyBlockLongerThanThePacket() {
    byte[] body = ConnectBytes.v5().body();
    body[10] = 0x7F;
    assertRefused(Bytes.packet(0x10, body), ReasonCode.MALFORMED_PACKET, 5);
  }

  @Test
  void refusesFiveBytePropertyLength() {
    byte[] prefix = new Bytes().str("MQTT").u8(5).u8(2).u16(60).toArray();
    byte[] body = new Bytes().raw(prefix).raw(Bytes.hex("80 80 80 80 00")).str("id").toArray();
    assertRefused(Bytes.packet(0x10, body), ReasonCode.MALFORMED_PACKET, 5);
  }

  // --- MQTT 5 will properties ---

  @Test
  void refusesWillPayloadThatIsNotUtf8WhenItSaysItIs() {
    ConnectBytes c = ConnectBytes.v5().will(0, false, "t", "x");
    c.willPayload = Bytes.hex("C3 28");
    c.willProperties(new Bytes().u8(0x01).u8(1));
    assertRefused(c.build(), ReasonCode.PAYLOAD_FORMAT_INVALID, 5);

    // the same bytes declared as unspecified binary are fine
    c.willProperties(new Bytes().u8(0x01).u8(0));
    assertThat(parse(c.build()).willPayloadLength()).isEqualTo(2);
  }

  @Test
  void refusesWillResponseTopicWithWildcard() {
    ConnectBytes c =
        ConnectBytes.v5().will(0, false, "t", "x").willProperties(new Bytes().u8(0x08).str("r/#"));
    assertRefused(c.build(), ReasonCode.TOPIC_NAME_INVALID, 5);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x11, 0x21, 0x15, 0x0B, 0x23})
  void refusesPropertiesNotAllowedInWill(int id) {
    ConnectBytes c =
        ConnectBytes.v5().will(0, false, "t", "x").willProperties(new Bytes().u8(id).u16(1));
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, 5);
  }

  @Test
  void refusesDuplicateWillProperties() {
    ConnectBytes c =
        ConnectBytes.v5()
            .will(0, false, "t", "x")
            .willProperties(new Bytes().u8(0x03).str("a").u8(0x03).str("b"));
    assertRefused(c.build(), ReasonCode.PROTOCOL_ERROR, 5);
  }

  @Test
  void refusesPayloadFormatIndicatorOtherThanZeroOrOne() {
    ConnectBytes c =
        ConnectBytes.v5().will(0, false, "t", "x").willProperties(new Bytes().u8(0x01).u8(2));
    assertRefused(c.build(), ReasonCode.PROTOCOL_ERROR, 5);
  }

  // --- exact consumption ---

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5})
  void refusesTrailingBytes(int level) {
    ConnectBytes c = at(level).credentials("u", new byte[] {1});
    c.trailing = new byte[] {0};
    assertRefused(c.build(), ReasonCode.MALFORMED_PACKET, level);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5})
  void refusesEveryTruncation(int level) {
    byte[] body =
        at(level)
            .will(1, false, "w", "payload")
            .credentials("user", new byte[] {1, 2})
            .body();
    // body cut at every length, with the remaining length telling the truth about the cut
    for (int cut = 0; cut < body.length; cut++) {
      byte[] packet = Bytes.packet(0x10, java.util.Arrays.copyOf(body, cut));
      MqttDecodeException e = refusal(packet);
      assertThat(e.reasonCode()).as("cut at %d", cut).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
  }

  @Test
  void refusesRemainingLengthThatDisagreesWithTheBuffer() {
    byte[] packet = ConnectBytes.v311().build();
    ByteBuf shorter = Unpooled.wrappedBuffer(packet, 0, packet.length - 1);
    assertThat(catchThrowableOfType(MqttDecodeException.class, () -> ConnectParser.parse(shorter))
            .reasonCode())
        .isEqualTo(ReasonCode.MALFORMED_PACKET);

    ByteBuf longer = Unpooled.wrappedBuffer(packet, new byte[] {0});
    assertThat(catchThrowableOfType(MqttDecodeException.class, () -> ConnectParser.parse(longer))
            .reasonCode())
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void refusalsAreStackless() {
    MqttDecodeException e = refusal(Bytes.hex("10 00"));
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(e.protocolLevel()).isZero();
  }

  // --- helpers ---

  private static ConnectBytes at(int level) {
    return switch (level) {
      case 3 -> ConnectBytes.v31();
      case 4 -> ConnectBytes.v311();
      case 5 -> ConnectBytes.v5();
      default -> throw new IllegalArgumentException();
    };
  }

  private static void assertDefaultsOfV5Fields(ConnectPacket p) {
    assertThat(p.sessionExpiryInterval()).isZero();
    assertThat(p.receiveMaximum()).isEqualTo(65535);
    assertThat(p.maximumPacketSize()).isZero();
    assertThat(p.topicAliasMaximum()).isZero();
    assertThat(p.requestResponseInformation()).isFalse();
    assertThat(p.requestProblemInformation()).isTrue();
    assertThat(p.userProperties()).isEmpty();
    assertThat(p.authenticationMethod()).isNull();
    assertThat(p.authenticationData()).isNull();
  }

  private static void assertV5PropertiesRefused(Bytes properties, ReasonCode expected) {
    assertRefused(ConnectBytes.v5().properties(properties).build(), expected, 5);
  }

  private static ConnectPacket parse(byte[] packet) {
    ByteBuf buf = Unpooled.wrappedBuffer(packet);
    ConnectPacket p = ConnectParser.parse(buf);
    assertThat(buf.readerIndex()).isZero();
    return p;
  }

  private static MqttDecodeException refusal(byte[] packet) {
    ByteBuf buf = Unpooled.wrappedBuffer(packet);
    MqttDecodeException e =
        catchThrowableOfType(MqttDecodeException.class, () -> ConnectParser.parse(buf));
    assertThat(e).as("refused").isNotNull();
    assertThat(buf.readerIndex()).isZero();
    return e;
  }

  private static void assertRefused(byte[] packet, ReasonCode expected, int level) {
    MqttDecodeException e = refusal(packet);
    assertThat(e.reasonCode()).as(e.getMessage()).isEqualTo(expected);
    assertThat(e.protocolLevel()).as("protocol level").isEqualTo(level);
  }
}

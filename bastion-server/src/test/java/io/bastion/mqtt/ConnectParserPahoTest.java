package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the parser against CONNECT bytes written by an independent encoder, Eclipse Paho's
 * (a test dependency already), so the hand-written builder cannot share a misreading of the spec.
 */
class ConnectParserPahoTest {

  @Test
  void parsesPahoMqtt31And311Connects() throws Exception {
    for (int level : new int[] {3, 4}) {
      org.eclipse.paho.client.mqttv3.MqttMessage will =
          new org.eclipse.paho.client.mqttv3.MqttMessage("gone".getBytes(StandardCharsets.UTF_8));
      will.setQos(1);
      will.setRetained(true);
      var connect =
          new org.eclipse.paho.client.mqttv3.internal.wire.MqttConnect(
              "paho-" + level, level, false, 45, "dave", "pa55".toCharArray(), will, "lwt/paho");
      byte[] bytes = concat(connect.getHeader(), connect.getPayload());

      ConnectPacket p = decodeAndParse(bytes);

      assertThat(p.protocolLevel()).isEqualTo(level);
      assertThat(p.protocolName()).isEqualTo(level == 3 ? "MQIsdp" : "MQTT");
      assertThat(p.clientId()).isEqualTo("paho-" + level);
      assertThat(p.cleanStart()).isFalse();
      assertThat(p.keepAliveSeconds()).isEqualTo(45);
      assertThat(p.username()).isEqualTo("dave");
      assertThat(p.password()).isEqualTo("pa55".getBytes(StandardCharsets.UTF_8));
      assertThat(p.willTopic()).isEqualTo("lwt/paho");
      assertThat(p.willQos()).isEqualTo(1);
      assertThat(p.willRetain()).isTrue();
      assertThat(p.willPayloadLength()).isEqualTo(4);
    }
  }

  @Test
  void parsesPahoMqtt5Connect() throws Exception {
    MqttProperties properties = new MqttProperties();
    properties.setSessionExpiryInterval(3600L);
    properties.setReceiveMaximum(20);
    properties.setMaximumPacketSize(65536L);
    properties.setTopicAliasMaximum(5);
    properties.setRequestResponseInfo(true);
    properties.setRequestProblemInfo(false);
    properties.setUserProperties(List.of(new UserProperty("site", "plant-7")));
    properties.setAuthenticationMethod("TOKEN");
    properties.setAuthenticationData(new byte[] {4, 2});
    MqttProperties willProperties = new MqttProperties();
    willProperties.setWillDelayInterval(10L);
    willProperties.setPayloadFormat(true);
    willProperties.setMessageExpiryInterval(60L);
    willProperties.setContentType("text/plain");
    willProperties.setResponseTopic("replies/paho");
    willProperties.setCorrelationData(new byte[] {1});
    var connect =
        new org.eclipse.paho.mqttv5.common.packet.MqttConnect(
            "paho-5", 5, true, 20, properties, willProperties);
    connect.setUserName("erin");
    connect.setPassword("pw".getBytes(StandardCharsets.UTF_8));
    connect.setWillDestination("lwt/paho5");
    connect.setWillMessage(
        new org.eclipse.paho.mqttv5.common.MqttMessage(
            "offline".getBytes(StandardCharsets.UTF_8), 2, false, willProperties));

    ConnectPacket p = decodeAndParse(connect.serialize());

    assertThat(p.protocolLevel()).isEqualTo(5);
    assertThat(p.clientId()).isEqualTo("paho-5");
    assertThat(p.cleanStart()).isTrue();
    assertThat(p.keepAliveSeconds()).isEqualTo(20);
    assertThat(p.username()).isEqualTo("erin");
    assertThat(p.password()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
    assertThat(p.willTopic()).isEqualTo("lwt/paho5");
    assertThat(p.willQos()).isEqualTo(2);
    assertThat(p.willPayloadLength()).isEqualTo(7);
    assertThat(p.sessionExpiryInterval()).isEqualTo(3600);
    assertThat(p.receiveMaximum()).isEqualTo(20);
    assertThat(p.maximumPacketSize()).isEqualTo(65536);
    assertThat(p.topicAliasMaximum()).isEqualTo(5);
    assertThat(p.requestResponseInformation()).isTrue();
    assertThat(p.requestProblemInformation()).isFalse();
    assertThat(p.userProperties()).containsExactly(Map.entry("site", "plant-7"));
    assertThat(p.authenticationMethod()).isEqualTo("TOKEN");
    assertThat(p.authenticationData()).containsExactly(4, 2);
  }

  // through the decoder first, as on the wire
  private static ConnectPacket decodeAndParse(byte[] bytes) {
    EmbeddedChannel channel = new EmbeddedChannel(new MqttFrameDecoder(4096));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    ByteBuf packet = channel.readInbound();
    try {
      assertThat(packet.readableBytes()).isEqualTo(bytes.length);
      return ConnectParser.parse(packet);
    } finally {
      packet.release();
      assertThat(channel.finish()).isFalse();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return new Bytes().raw(a).raw(b).toArray();
  }
}

package io.bastion.mqtt;

import java.nio.charset.StandardCharsets;

/** Builds CONNECT packets by hand, valid by default, with every field open to corruption. */
final class ConnectBytes {

  int firstByte = 0x10;
  byte[] protocolName = utf8("MQTT");
  int level = 4;
  Integer flagsOverride;
  boolean cleanStart = true;
  int keepAlive = 60;
  byte[] properties; // MQTT 5 property block content; null = empty block
  byte[] clientId = utf8("client-1");
  boolean will;
  int willQos;
  boolean willRetain;
  byte[] willProperties;
  byte[] willTopic = utf8("will/topic");
  byte[] willPayload = utf8("bye");
  byte[] username;
  byte[] password;
  boolean passwordFlag;
  byte[] trailing = new byte[0];

  static ConnectBytes v31() {
    ConnectBytes c = new ConnectBytes();
    c.protocolName = utf8("MQIsdp");
    c.level = 3;
    return c;
  }

  static ConnectBytes v311() {
    return new ConnectBytes();
  }

  static ConnectBytes v5() {
    ConnectBytes c = new ConnectBytes();
    c.level = 5;
    return c;
  }

  ConnectBytes clientId(String id) {
    clientId = utf8(id);
    return this;
  }

  ConnectBytes credentials(String user, byte[] pass) {
    username = user == null ? null : utf8(user);
    password = pass;
    passwordFlag = pass != null;
    return this;
  }

  ConnectBytes will(int qos, boolean retain, String topic, String payload) {
    will = true;
    willQos = qos;
    willRetain = retain;
    willTopic = utf8(topic);
    willPayload = utf8(payload);
    return this;
  }

  ConnectBytes properties(Bytes block) {
    properties = block.toArray();
    return this;
  }

  ConnectBytes willProperties(Bytes block) {
    willProperties = block.toArray();
    return this;
  }

  int flags() {
    if (flagsOverride != null) {
      return flagsOverride;
    }
    return (username != null ? 0x80 : 0)
        | (passwordFlag ? 0x40 : 0)
        | (willRetain ? 0x20 : 0)
        | (willQos << 3)
        | (will ? 0x04 : 0)
        | (cleanStart ? 0x02 : 0);
  }

  byte[] body() {
    Bytes b = new Bytes().bin(protocolName).u8(level).u8(flags()).u16(keepAlive);
    if (level == 5) {
      byte[] p = properties == null ? new byte[0] : properties;
      b.vbi(p.length).raw(p);
    }
    b.bin(clientId);
    if (will) {
      if (level == 5) {
        byte[] p = willProperties == null ? new byte[0] : willProperties;
        b.vbi(p.length).raw(p);
      }
      b.bin(willTopic).bin(willPayload);
    }
    if (username != null) {
      b.bin(username);
    }
    if (passwordFlag) {
      b.bin(password);
    }
    return b.raw(trailing).toArray();
  }

  byte[] build() {
    return Bytes.packet(firstByte, body());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a whole CONNECT packet (fixed header included) of MQTT 3.1, 3.1.1 or 5.0.
 * Reads with absolute indexes only: the buffer's reader index is left as it was, because the same
 * bytes are forwarded to the broker. Every refusal is a {@link MqttDecodeException} carrying the
 * reason code and the protocol level read so far.
 */
public final class ConnectParser {

  private static final String MQTT = "MQTT";
  private static final String MQISDP = "MQIsdp";

  // MQTT 5 property identifiers allowed in CONNECT and in its will properties
  private static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  private static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
  private static final int CONTENT_TYPE = 0x03;
  private static final int RESPONSE_TOPIC = 0x08;
  private static final int CORRELATION_DATA = 0x09;
  private static final int SESSION_EXPIRY_INTERVAL = 0x11;
  private static final int AUTHENTICATION_METHOD = 0x15;
  private static final int AUTHENTICATION_DATA = 0x16;
  private static final int REQUEST_PROBLEM_INFORMATION = 0x17;
  private static final int WILL_DELAY_INTERVAL = 0x18;
  private static final int REQUEST_RESPONSE_INFORMATION = 0x19;
  private static final int RECEIVE_MAXIMUM = 0x21;
  private static final int TOPIC_ALIAS_MAXIMUM = 0x22;
  private static final int USER_PROPERTY = 0x26;
  private static final int MAXIMUM_PACKET_SIZE = 0x27;

  private ConnectParser() {}

  public static ConnectPacket parse(ByteBuf packet) {
    return new Parse(packet).connect();
  }

  /** One parse: a cursor over the packet plus what has been read so far. */
  private static final class Parse {
    private final ByteBuf buf;
    private int pos;
    private int end;
    private int level;
    private CharsetDecoder utf8;

    // CONNECT properties (MQTT 5), with their defaults
    private long sessionExpiryInterval;
    private int receiveMaximum = 65535;
    private long maximumPacketSize;
    private int topicAliasMaximum;
    private boolean requestResponseInformation;
    private boolean requestProblemInformation = true;
    private List<Map.Entry<String, String>> userProperties;
    private String authenticationMethod;
    private byte[] authenticationData;
    private boolean willPayloadIsUtf8;

    Parse(ByteBuf buf) {
      this.buf = buf;
      this.pos = buf.readerIndex();
      this.end = buf.writerIndex();
    }

    ConnectPacket connect() {
      int first = u8();
      if (PacketType.of(first) != PacketType.CONNECT) {
        throw error(ReasonCode.PROTOCOL_ERROR, "first packet is " + PacketType.of(first));
      }
      if ((first & 0x0F) != 0) {
        throw error(ReasonCode.MALFORMED_PACKET, "CONNECT with fixed header flags set");
      }
      int remaining = variableByteInteger();
      if (buf.writerIndex() - pos != remaining) {
        throw error(ReasonCode.MALFORMED_PACKET, "CONNECT length does not match its buffer");
      }

      String protocolName = protocolName();
      level = u8();
      // 3.1 is "MQIsdp" level 3; 3.1.1 and 5.0 are "MQTT" levels 4 and 5
      boolean known =
          level == 3
              ? MQISDP.equals(protocolName)
              : (level == 4 || level == 5) && MQTT.equals(protocolName);
      if (!known) {
        throw error(
            ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
            "unsupported protocol name or level " + level);
      }

      int flags = u8();
      if ((flags & 0x01) != 0) {
        throw error(ReasonCode.MALFORMED_PACKET, "reserved connect flag set");
      }
      boolean cleanStart = (flags & 0x02) != 0;
      boolean willFlag = (flags & 0x04) != 0;
      int willQos = (flags >> 3) & 0x03;
      boolean willRetain = (flags & 0x20) != 0;
      boolean passwordFlag = (flags & 0x40) != 0;
      boolean usernameFlag = (flags & 0x80) != 0;
      if (!willFlag && (willQos != 0 || willRetain)) {
        throw error(ReasonCode.MALFORMED_PACKET, "will QoS or retain set without a will");
      }
      if (willQos == 3) {
        throw error(ReasonCode.MALFORMED_PACKET, "will QoS 3");
      }
      if (passwordFlag && !usernameFlag && level != 5) {
        throw error(ReasonCode.MALFORMED_PACKET, "password without user name");
      }
      int keepAlive = u16();
      if (level == 5) {
        connectProperties();
      }

      String clientId = string();
      String willTopic = null;
      int willPayloadLength = 0;
      if (willFlag) {
        if (level == 5) {
          willProperties();
        }
        willTopic = string();
        checkWillTopic(willTopic);
        willPayloadLength = u16();
        int payloadStart = take(willPayloadLength);
        if (willPayloadIsUtf8 && !isUtf8(payloadStart, willPayloadLength)) {
          throw error(ReasonCode.PAYLOAD_FORMAT_INVALID, "will payload is not UTF-8");
        }
      }
      String username = usernameFlag ? string() : null;
      byte[] password = passwordFlag ? binary() : null;
      if (pos != end) {
        throw error(ReasonCode.MALFORMED_PACKET, (end - pos) + " bytes after the CONNECT payload");
      }
      // checked last: a packet that is also malformed is just closed, not answered
      checkClientId(clientId, cleanStart);

      return new ConnectPacket(
          level,
          protocolName,
          cleanStart,
          keepAlive,
          clientId,
          username,
          password,
          willFlag,
          willQos,
          willRetain,
          willTopic,
          willPayloadLength,
          sessionExpiryInterval,
          receiveMaximum,
          maximumPacketSize,
          topicAliasMaximum,
          requestResponseInformation,
          requestProblemInformation,
          userProperties == null ? List.of() : List.copyOf(userProperties),
          authenticationMethod,
          authenticationData);
    }

    // Compared as bytes so a stranger's garbage name costs no decoding; null when neither.
    private String protocolName() {
      int length = u16();
      int start = take(length);
      if (matches(start, length, MQTT)) {
        return MQTT;
      }
      if (matches(start, length, MQISDP)) {
        return MQISDP;
      }
      return null;
    }

    private boolean matches(int start, int length, String ascii) {
      if (length != ascii.length()) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (buf.getByte(start + i) != ascii.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private void connectProperties() {
      long seen = 0;
      int outerEnd = enterProperties();
      while (pos < end) {
        int id = propertyId();
        seen = once(seen, id);
        switch (id) {
          case SESSION_EXPIRY_INTERVAL -> sessionExpiryInterval = u32();
          case RECEIVE_MAXIMUM -> {
            receiveMaximum = u16();
            if (receiveMaximum == 0) {
              throw error(ReasonCode.PROTOCOL_ERROR, "receive maximum 0");
            }
          }
          case MAXIMUM_PACKET_SIZE -> {
            maximumPacketSize = u32();
            if (maximumPacketSize == 0) {
              throw error(ReasonCode.PROTOCOL_ERROR, "maximum packet size 0");
            }
          }
          case TOPIC_ALIAS_MAXIMUM -> topicAliasMaximum = u16();
          case REQUEST_RESPONSE_INFORMATION -> requestResponseInformation = booleanByte(id);
          case REQUEST_PROBLEM_INFORMATION -> requestProblemInformation = booleanByte(id);
          case USER_PROPERTY -> userProperty();
          case AUTHENTICATION_METHOD -> authenticationMethod = string();
          case AUTHENTICATION_DATA -> authenticationData = binary();
          default -> throw error(
              ReasonCode.MALFORMED_PACKET, "property 0x" + Integer.toHexString(id) + " in CONNECT");
        }
      }
      end = outerEnd;
      if (authenticationData != null && authenticationMethod == null) {
        throw error(ReasonCode.PROTOCOL_ERROR, "authentication data without a method");
      }
    }

    // Will properties are forwarded as they are; only their validity matters here.
    private void willProperties() {
      long seen = 0;
      int outerEnd = enterProperties();
      while (pos < end) {
        int id = propertyId();
        seen = once(seen, id);
        switch (id) {
          case WILL_DELAY_INTERVAL, MESSAGE_EXPIRY_INTERVAL -> u32();
          case PAYLOAD_FORMAT_INDICATOR -> willPayloadIsUtf8 = booleanByte(id);
          case CONTENT_TYPE -> string();
          case RESPONSE_TOPIC -> {
            if (hasWildcard(string())) {
              throw error(ReasonCode.TOPIC_NAME_INVALID, "will response topic with a wildcard");
            }
          }
          case CORRELATION_DATA -> take(u16());
          case USER_PROPERTY -> {
            string();
            string();
          }
          default -> throw error(
              ReasonCode.MALFORMED_PACKET, "property 0x" + Integer.toHexString(id) + " in will");
        }
      }
      end = outerEnd;
    }

    // Narrows the cursor's end to the property block, so an overrunning property is malformed;
    // returns the end to restore after the block.
    private int enterProperties() {
      int length = variableByteInteger();
      if (length > end - pos) {
        throw error(ReasonCode.MALFORMED_PACKET, "property length beyond the packet");
      }
      int outerEnd = end;
      end = pos + length;
      return outerEnd;
    }

    private int propertyId() {
      return variableByteInteger();
    }

    // Every known property but the user property may appear once.
    private long once(long seen, int id) {
      if (id == USER_PROPERTY || id >= 64) {
        return seen;
      }
      long bit = 1L << id;
      if ((seen & bit) != 0) {
        throw error(ReasonCode.PROTOCOL_ERROR, "property 0x" + Integer.toHexString(id) + " twice");
      }
      return seen | bit;
    }

    private boolean booleanByte(int id) {
      int value = u8();
      if (value > 1) {
        throw error(
            ReasonCode.PROTOCOL_ERROR,
            "property 0x" + Integer.toHexString(id) + " must be 0 or 1, was " + value);
      }
      return value == 1;
    }

    private void userProperty() {
      String key = string();
      String value = string();
      if (userProperties == null) {
        userProperties = new ArrayList<>(4);
      }
      userProperties.add(Map.entry(key, value));
    }

    private void checkWillTopic(String topic) {
      if (topic.isEmpty() || hasWildcard(topic)) {
        throw error(
            level == 5 ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET,
            "invalid will topic '" + topic + "'");
      }
    }

    private static boolean hasWildcard(String topic) {
      return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }

    private void checkClientId(String clientId, boolean cleanStart) {
      if (level == 3) {
        int chars = clientId.codePointCount(0, clientId.length());
        if (chars < 1 || chars > 23) {
          throw error(
              ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
              "MQTT 3.1 client id must have 1 to 23 characters");
        }
      } else if (level == 4 && clientId.isEmpty() && !cleanStart) {
        throw error(
            ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client id without clean session");
      }
    }

    // --- primitives; all bounded by end, all absolute ---

    private int take(int length) {
      if (length > end - pos) {
        throw error(ReasonCode.MALFORMED_PACKET, "field runs past its packet or property block");
      }
      int start = pos;
      pos += length;
      return start;
    }

    private int u8() {
      return buf.getUnsignedByte(take(1));
    }

    private int u16() {
      return buf.getUnsignedShort(take(2));
    }

    private long u32() {
      return buf.getUnsignedInt(take(4));
    }

    private int variableByteInteger() {
      int value = 0;
      for (int shift = 0; shift <= 21; shift += 7) {
        int b = u8();
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw error(ReasonCode.MALFORMED_PACKET, "variable byte integer longer than 4 bytes");
    }

    private byte[] binary() {
      int length = u16();
      byte[] bytes = new byte[length];
      buf.getBytes(take(length), bytes);
      return bytes;
    }

    // An MQTT UTF-8 string: well-formed UTF-8 (no surrogates, no overlong forms) without U+0000.
    private String string() {
      int length = u16();
      int start = take(length);
      boolean ascii = true;
      for (int i = start; i < start + length; i++) {
        byte b = buf.getByte(i);
        if (b == 0) {
          throw error(ReasonCode.MALFORMED_PACKET, "string contains U+0000");
        }
        ascii &= b > 0;
      }
      if (ascii) {
        return buf.toString(start, length, StandardCharsets.US_ASCII);
      }
      try {
        return decoder().decode(buf.nioBuffer(start, length)).toString();
      } catch (CharacterCodingException e) {
        throw error(ReasonCode.MALFORMED_PACKET, "string is not well-formed UTF-8");
      }
    }

    private boolean isUtf8(int start, int length) {
      try {
        decoder().decode(buf.nioBuffer(start, length));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }

    // strict, unlike String's constructor, which silently replaces bad input
    private CharsetDecoder decoder() {
      if (utf8 == null) {
        utf8 =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
      }
      return utf8;
    }

    private MqttDecodeException error(ReasonCode code, String message) {
      return new MqttDecodeException(code, level, message);
    }
  }
}

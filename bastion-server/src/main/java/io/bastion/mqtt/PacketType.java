package io.bastion.mqtt;

/** MQTT control packet types, with the value carried in the high nibble of the first byte. */
public enum PacketType {
  CONNECT(1),
  CONNACK(2),
  PUBLISH(3),
  PUBACK(4),
  PUBREC(5),
  PUBREL(6),
  PUBCOMP(7),
  SUBSCRIBE(8),
  SUBACK(9),
  UNSUBSCRIBE(10),
  UNSUBACK(11),
  PINGREQ(12),
  PINGRESP(13),
  DISCONNECT(14),
  AUTH(15);

  // indexed by value; values() clones its array on every call, which the hot path avoids
  private static final PacketType[] BY_VALUE = new PacketType[16];

  static {
    for (PacketType t : values()) {
      BY_VALUE[t.value] = t;
    }
  }

  private final int value;

  PacketType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** The type encoded in a fixed header's first byte, or null for the reserved type 0. */
  public static PacketType of(int firstByte) {
    return BY_VALUE[(firstByte >> 4) & 0x0F];
  }
}

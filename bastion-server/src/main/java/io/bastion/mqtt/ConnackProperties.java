package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;

/**
 * Reads what Bastion needs from a broker's MQTT 5 CONNACK: the Server Keep Alive, which replaces
 * the keepalive the client asked for, so Bastion's idle timeout must follow it.
 */
public final class ConnackProperties {

  private static final int SERVER_KEEP_ALIVE = 0x13;

  private ConnackProperties() {}

  /**
   * The Server Keep Alive in seconds of a whole MQTT 5 CONNACK (fixed header included), or -1 when
   * it has none or the packet cannot be read. The buffer is not changed.
   */
  public static int serverKeepAlive(ByteBuf connack) {
    try {
      Cursor c = new Cursor(connack);
      if (c.u8() >>> 4 != PacketType.CONNACK.value()) {
        return -1;
      }
      int end = c.vbi();
      end += c.index;
      c.index += 2; // acknowledge flags, reason code
      int propertiesEnd = c.vbi();
      propertiesEnd += c.index;
      if (propertiesEnd > end) {
        return -1;
      }
      while (c.index < propertiesEnd) {
        int id = c.vbi();
        switch (id) {
          case SERVER_KEEP_ALIVE -> {
            return c.u16();
          }
          case 0x24, 0x25, 0x28, 0x29, 0x2A -> c.index += 1;
          case 0x21, 0x22 -> c.index += 2;
          case 0x11, 0x27 -> c.index += 4;
          case 0x12, 0x1A, 0x1C, 0x1F, 0x15, 0x16 -> c.skipPrefixed();
          case 0x26 -> {
            c.skipPrefixed();
            c.skipPrefixed();
          }
          default -> {
            return -1;
          }
        }
      }
      return -1;
    } catch (IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /** Absolute reads, so the packet's reader index stays where the relay needs it. */
  private static final class Cursor {
    private final ByteBuf buf;
    int index;

    Cursor(ByteBuf buf) {
      this.buf = buf;
      this.index = buf.readerIndex();
    }

    int u8() {
      checkIndex(1);
      return buf.getUnsignedByte(index++);
    }

    int u16() {
      checkIndex(2);
      int v = buf.getUnsignedShort(index);
      index += 2;
      return v;
    }

    /** Skips a string or binary field: a two-byte length, then that many bytes. */
    void skipPrefixed() {
      int length = u16();
      index += length;
    }

    int vbi() {
      int value = 0;
      for (int shift = 0; shift <= 21; shift += 7) {
        int b = u8();
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IndexOutOfBoundsException("variable byte integer longer than 4 bytes");
    }

    private void checkIndex(int n) {
      if (index + n > buf.writerIndex()) {
        throw new IndexOutOfBoundsException();
      }
    }
  }
}

package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Delimits MQTT packets: reads the fixed header and remaining length, refuses oversize packets as
 * soon as their header is read, and emits each whole packet (fixed header included) as a retained
 * slice of the input. It never copies or decodes packet contents; the relay forwards these bytes.
 *
 * <p>After the first error it throws once and then discards everything, so nothing further
 * reaches the next handler while the connection is being closed.
 */
public final class MqttFrameDecoder extends ByteToMessageDecoder {

  /** The largest value a four-byte variable byte integer can carry. */
  public static final int MAX_REMAINING_LENGTH = 268_435_455;

  private static final VarHandle SINCE;
  private static final VarHandle PENDING;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SINCE = l.findVarHandle(MqttFrameDecoder.class, "incompleteSince", long.class);
      PENDING = l.findVarHandle(MqttFrameDecoder.class, "incompleteBytes", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int maxPacketSize;
  private boolean failed;
  /** When the packet now incomplete started waiting (nanoTime), 0 when none; for detection. */
  private long incompleteSince;
  private int incompleteBytes;

  /**
   * @param maxPacketSize the largest whole packet accepted, fixed header included
   */
  public MqttFrameDecoder(int maxPacketSize) {
    if (maxPacketSize < 2) {
      throw new IllegalArgumentException("maxPacketSize must be at least 2: " + maxPacketSize);
    }
    this.maxPacketSize = maxPacketSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int limit = in.writerIndex();
    if (start == limit) {
      SINCE.setOpaque(this, 0L);
      return;
    }
    int first = in.getUnsignedByte(start);
    checkFlags(first, in);

    // remaining length: at most 4 bytes, 7 bits each, high bit = continuation
    int remaining = 0;
    int index = start + 1;
    for (int shift = 0; ; shift += 7) {
      if (index >= limit) {
        incomplete(limit - start);
        return; // header not complete yet
      }
      int b = in.getUnsignedByte(index++);
      remaining |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      if (shift == 21) {
        throw fail(in, ReasonCode.MALFORMED_PACKET, 0, "remaining length longer than 4 bytes");
      }
    }
    int headerLength = index - start;
    long total = (long) headerLength + remaining;
    if (total > maxPacketSize) {
      int level = (first >> 4) == PacketType.CONNECT.value() ? connectLevel(in, index) : 0;
      throw fail(
          in,
          ReasonCode.PACKET_TOO_LARGE,
          level,
          "packet of " + total + " bytes exceeds the maximum of " + maxPacketSize);
    }
    if (limit - start < total) {
      incomplete(limit - start);
      return; // body not complete yet; the cumulation keeps what arrived
    }
    out.add(in.readRetainedSlice((int) total));
    if (incompleteSince != 0) {
      SINCE.setOpaque(this, 0L);
    }
  }

  private void incomplete(int bytes) {
    if (incompleteSince == 0) {
      SINCE.setOpaque(this, System.nanoTime());
    }
    PENDING.setOpaque(this, bytes);
  }

  /**
   * Since when (System.nanoTime) a packet has been incomplete, 0 when none. Safe from any thread:
   * an opaque load of a value only the event loop writes.
   */
  public long incompleteSinceNanos() {
    return (long) SINCE.getOpaque(this);
  }

  /** Bytes of the incomplete packet received so far (meaningful while one is incomplete). */
  public int incompleteBytes() {
    return (int) PENDING.getOpaque(this);
  }

  // The spec fixes the flag nibble of every type but PUBLISH; type 0 is reserved.
  private void checkFlags(int first, ByteBuf in) {
    int type = first >> 4;
    int flags = first & 0x0F;
    if (type == 0) {
      throw fail(in, ReasonCode.MALFORMED_PACKET, 0, "reserved packet type 0");
    }
    if (type == PacketType.PUBLISH.value()) {
      if ((flags & 0b0110) == 0b0110) {
        throw fail(in, ReasonCode.MALFORMED_PACKET, 0, "PUBLISH with QoS 3");
      }
      return;
    }
    boolean needsTwo =
        type == PacketType.PUBREL.value()
            || type == PacketType.SUBSCRIBE.value()
            || type == PacketType.UNSUBSCRIBE.value();
    if (flags != (needsTwo ? 0b0010 : 0)) {
      throw fail(
          in,
          ReasonCode.MALFORMED_PACKET,
          0,
          "invalid fixed header flags " + flags + " for " + PacketType.of(first));
    }
  }

  // Protocol level of a CONNECT whose start has arrived ("MQTT"/"MQIsdp" then the level), else 0,
  // so an MQTT 5 client can be told 0x95 instead of just losing its connection.
  private static int connectLevel(ByteBuf in, int variableHeader) {
    int limit = in.writerIndex();
    if (variableHeader + 2 > limit) {
      return 0;
    }
    int nameLength = in.getUnsignedShort(variableHeader);
    int levelIndex = variableHeader + 2 + nameLength;
    if ((nameLength != 4 && nameLength != 6) || levelIndex >= limit) {
      return 0;
    }
    return in.getUnsignedByte(levelIndex);
  }

  private MqttDecodeException fail(ByteBuf in, ReasonCode code, int level, String message) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new MqttDecodeException(code, level, message);
  }
}

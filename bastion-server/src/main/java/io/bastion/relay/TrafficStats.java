package io.bastion.relay;

import io.bastion.mqtt.PacketType;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packets and bytes relayed each way by MQTT packet type, and backpressure pauses. Plain adders
 * indexed by the packet type nibble: two uncontended additions per packet, nothing allocated.
 */
public final class TrafficStats {

  public enum Direction {
    CLIENT_TO_BROKER("client-to-broker"),
    BROKER_TO_CLIENT("broker-to-client");

    private final String label;

    Direction(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final LongAdder[][] packets = new LongAdder[2][16];
  private final LongAdder[][] bytes = new LongAdder[2][16];
  private final LongAdder[] pauses = {new LongAdder(), new LongAdder()};

  public TrafficStats() {
    for (int d = 0; d < 2; d++) {
      for (int t = 0; t < 16; t++) {
        packets[d][t] = new LongAdder();
        bytes[d][t] = new LongAdder();
      }
    }
  }

  void relayed(Direction direction, int type, int size) {
    packets[direction.ordinal()][type].increment();
    bytes[direction.ordinal()][type].add(size);
  }

  /** Reading from the source side was paused because the other side could not take more. */
  void paused(Direction readSide) {
    pauses[readSide.ordinal()].increment();
  }

  public long packets(Direction direction, PacketType type) {
    return packets[direction.ordinal()][type.value()].sum();
  }

  public long bytes(Direction direction, PacketType type) {
    return bytes[direction.ordinal()][type.value()].sum();
  }

  public long pauses(Direction readSide) {
    return pauses[readSide.ordinal()].sum();
  }
}

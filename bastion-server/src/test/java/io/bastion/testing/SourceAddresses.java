package io.bastion.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Distinct loopback source addresses (127.0.0.0/8 is local on Linux without setup), so that many
 * simulated devices look like many hosts, as a real fleet does, and not like one host that floods.
 */
public final class SourceAddresses {

  /** Devices of {@link SequencedFleet}s: 127.16.x.y. */
  public static final int DEVICES = 16;
  /** One-off connections, such as the {@link ConnackTimer}'s: 127.17.x.y. */
  public static final int ONE_OFF = 17;

  private SourceAddresses() {}

  /** The {@code index}-th address of {@code block}: 127.block.(index / 250).(index % 250 + 1). */
  public static InetAddress of(int block, int index) {
    if (index < 0 || index >= 250 * 256) {
      throw new IllegalArgumentException("index out of range: " + index);
    }
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) block, (byte) (index / 250), (byte) (index % 250 + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}

package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ConnackPropertiesTest {

  private static int keepAlive(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return ConnackProperties.serverKeepAlive(Unpooled.wrappedBuffer(b));
  }

  @Test
  void findsServerKeepAmongOtherProperties() {
    // receive maximum (0x21, 2 bytes), assigned client id (0x12, "ab"), server keep alive 120
    assertThat(keepAlive(0x20, 0x0E, 0x00, 0x00, 0x0B, 0x21, 0x00, 0x0A, 0x12, 0x00, 0x02, 'a', 'b',
        0x13, 0x00, 0x78)).isEqualTo(120);
  }

  @Test
  void absentWhenNotThere() {
    assertThat(keepAlive(0x20, 0x03, 0x00, 0x00, 0x00)).isEqualTo(-1);
    assertThat(keepAlive(0x20, 0x02, 0x00, 0x00)).isEqualTo(-1); // 3.1.1 CONNACK has no properties
  }

  @Test
  void truncatedOrForeignPacketsGiveMinusOne() {
    assertThat(keepAlive(0x20, 0x06, 0x00, 0x00, 0x03, 0x13, 0x00)).isEqualTo(-1);
    assertThat(keepAlive(0x30, 0x02, 0x00, 0x00)).isEqualTo(-1);
    assertThat(keepAlive(0x20, 0x05, 0x00, 0x00, 0x02, 0x7F, 0x00)).isEqualTo(-1);
  }

  @Test
  void readerIndexIsUntouched() {
    var buf = Unpooled.wrappedBuffer(new byte[] {0x20, 0x06, 0x00, 0x00, 0x03, 0x13, 0x00, 0x05});
    assertThat(ConnackProperties.serverKeepAlive(buf)).isEqualTo(5);
    assertThat(buf.readerIndex()).isZero();
  }
}

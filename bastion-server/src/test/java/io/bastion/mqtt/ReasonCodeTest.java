package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ReasonCodeTest {

  @Test
  void carriesTheMqtt5AndMqtt311Values() {
    assertThat(ReasonCode.SUCCESS.v5()).isZero();
    assertThat(ReasonCode.SUCCESS.v3ConnackCode()).isZero();
    assertThat(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.v5()).isEqualTo(0x84);
    assertThat(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.v3ConnackCode()).isEqualTo(0x01);
    assertThat(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.v3ConnackCode()).isEqualTo(0x02);
    assertThat(ReasonCode.SERVER_UNAVAILABLE.v3ConnackCode()).isEqualTo(0x03);
    assertThat(ReasonCode.BAD_AUTHENTICATION_METHOD.v3ConnackCode()).isEqualTo(0x04);
    assertThat(ReasonCode.BANNED.v5()).isEqualTo(0x8A);
    assertThat(ReasonCode.BANNED.v3ConnackCode()).isEqualTo(0x05);
    assertThat(ReasonCode.PACKET_TOO_LARGE.v5()).isEqualTo(0x95);
    assertThat(ReasonCode.PACKET_TOO_LARGE.v3ConnackCode()).isEqualTo(-1);
    assertThat(ReasonCode.CONNECTION_RATE_EXCEEDED.v5()).isEqualTo(0x9F);
    assertThat(ReasonCode.SERVER_UNAVAILABLE.description()).isEqualTo("server unavailable");
  }

  @Test
  void everyCodeIsDescribedAndOnlyMqtt311CodesHaveReturnCodes() {
    EnumSet<ReasonCode> withReturnCode = EnumSet.noneOf(ReasonCode.class);
    for (ReasonCode code : ReasonCode.values()) {
      assertThat(code.description()).isNotBlank();
      assertThat(code.v5()).isBetween(0, 0xFF);
      assertThat(code.v3ConnackCode()).isBetween(-1, 5);
      if (code.v3ConnackCode() >= 0) {
        withReturnCode.add(code);
      }
    }
    assertThat(withReturnCode)
        .containsExactlyInAnyOrder(
            ReasonCode.SUCCESS,
            ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
            ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
            ReasonCode.BAD_USERNAME_OR_PASSWORD,
            ReasonCode.NOT_AUTHORIZED,
            ReasonCode.SERVER_UNAVAILABLE,
            ReasonCode.SERVER_BUSY,
            ReasonCode.BANNED,
            ReasonCode.BAD_AUTHENTICATION_METHOD);
  }
}

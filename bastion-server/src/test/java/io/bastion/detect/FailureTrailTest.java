package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureTrailTest {

  @Test
  void countsFailuresAndDistinctSourcesStrictlyAfterTheCut() {
    FailureTrail t = new FailureTrail(8);
    assertThat(t.newest()).isEqualTo(Long.MIN_VALUE);
    t.add(1_000, "a", "127.0.0.1");
    t.add(2_000, "b", "127.0.0.1");
    t.add(3_000, "b", "127.0.0.2");
    assertThat(t.since(0)).isEqualTo(3);
    assertThat(t.clientIdsSince(0)).isEqualTo(2);
    assertThat(t.addressesSince(0)).isEqualTo(2);
    assertThat(t.since(1_000)).isEqualTo(2); // a failure exactly at the cut is outside
    assertThat(t.clientIdsSince(2_000)).isEqualTo(1);
    assertThat(t.addressesSince(2_000)).isEqualTo(1);
    assertThat(t.since(3_000)).isZero();
    assertThat(t.newest()).isEqualTo(3_000);
  }

  @Test
  void keepsOnlyTheLastFailuresItHasRoomFor() {
    FailureTrail t = new FailureTrail(8);
    for (int i = 0; i < 20; i++) {
      t.add(i * 1_000L, "id-" + i, "127.0.0." + (i % 3));
    }
    assertThat(t.since(-1)).isEqualTo(8);
    assertThat(t.clientIdsSince(-1)).isEqualTo(8);
    assertThat(t.addressesSince(-1)).isEqualTo(3);
    assertThat(t.since(15_000)).isEqualTo(4); // 16..19
    assertThat(t.newest()).isEqualTo(19_000);
  }
}

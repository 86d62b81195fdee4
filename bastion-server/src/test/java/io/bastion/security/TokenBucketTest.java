package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.RateConfig;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void burstThenRate() {
    TokenBucket b = new TokenBucket(new RateConfig(2, 3), 0);
    assertThat(b.tryTake(1, 0)).isTrue();
    assertThat(b.tryTake(1, 0)).isTrue();
    assertThat(b.tryTake(1, 0)).isTrue();
    assertThat(b.tryTake(1, 0)).isFalse();
    assertThat(b.tryTake(1, SECOND / 2)).isTrue();
    assertThat(b.tryTake(1, SECOND / 2)).isFalse();
    assertThat(b.full(10 * SECOND)).isTrue();
  }

  @Test
  void debtTellsHowLongToWait() {
    TokenBucket b = new TokenBucket(new RateConfig(10, 10), 0);
    assertThat(b.take(10, 0)).isZero();
    assertThat(b.take(5, 0)).isEqualTo(SECOND / 2);
    assertThat(b.take(0, SECOND / 2)).isZero();
  }
}

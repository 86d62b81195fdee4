package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void sizes() {
    assertThat(Units.parseSize("1048576")).isEqualTo(1_048_576);
    assertThat(Units.parseSize("512KiB")).isEqualTo(512 * 1024);
    assertThat(Units.parseSize("1MiB")).isEqualTo(1 << 20);
    assertThat(Units.parseSize("256MB")).isEqualTo(256_000_000);
    assertThat(Units.parseSize("64kB")).isEqualTo(64_000);
    assertThat(Units.parseSize("2 B")).isEqualTo(2);
    assertThatThrownBy(() -> Units.parseSize("64KB")).hasMessageContaining("unknown size unit 'KB'");
    assertThatThrownBy(() -> Units.parseSize("1.5MiB")).hasMessageContaining("expected a size");
    assertThatThrownBy(() -> Units.parseSize("9999999999999GiB")).hasMessageContaining("too large");
  }

  @Test
  void formatIsTheShortestExactSpelling() {
    assertThat(Units.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Units.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Units.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Units.format(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(Units.format(Duration.ZERO)).isEqualTo("0s");
  }
}

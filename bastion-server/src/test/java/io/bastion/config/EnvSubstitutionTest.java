package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

  private final EnvSubstitution env =
      new EnvSubstitution(Map.of("HOST", "b1", "EMPTY", "", "DOLLAR", "$1")::get);

  @Test
  void replacesReferencesInsideText() {
    assertThat(env.apply("${HOST}.example:${PORT:-1883}")).isEqualTo("b1.example:1883");
    assertThat(env.apply("${EMPTY:-fallback}")).isEqualTo("fallback");
    assertThat(env.apply("${EMPTY}")).isEmpty();
    assertThat(env.apply("${DOLLAR}")).isEqualTo("$1");
    assertThat(env.apply("^s-[0-9]+$")).isEqualTo("^s-[0-9]+$");
  }

  @Test
  void namesEveryUnsetVariable() {
    assertThatThrownBy(() -> env.apply("${A}/${HOST}/${B}"))
        .hasMessageStartingWith("environment variable A, B are not set");
  }
}

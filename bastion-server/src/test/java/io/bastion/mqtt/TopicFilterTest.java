package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

  @ParameterizedTest
  @CsvSource({
    "a/b, a/b, true",
    "a/b, a/c, false",
    "a/+, a/b, true",
    "a/+, a/b/c, false",
    "a/+, a, false",
    "a/+, a/, true",
    "a/#, a, true",
    "a/#, a/b/c, true",
    "a/#, ab, false",
    "#, a/b, true",
    "#, $SYS/x, false",
    "+/x, $SYS/x, false",
    "$SYS/#, $SYS/x, true",
    "+/+, a/b, true",
    "a/b, a/b/c, false",
    "a, a/b, false",
  })
  void matchesTopics(String filter, String topic, boolean expected) {
    assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "a/#, a/b, true",
    "a/#, a/+/c, true",
    "a/#, a/#, true",
    "a/#, #, false",
    "a/+, a/b, true",
    "a/+, a/+, true",
    "a/+, a/#, false",
    "a/b, a/+, false",
    "#, a/#, true",
    "#, $SYS/#, false",
    "a/+/c, a/b/c, true",
    "a/+/c, a/b, false",
  })
  void coversFilters(String pattern, String filter, boolean expected) {
    assertThat(TopicFilter.of(pattern).covers(filter)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"#, true", "+/#, true", "+, true", "a/#, false", "+/a, false"})
  void rootWildcards(String filter, boolean expected) {
    assertThat(TopicFilter.of(filter).isRootWildcard()).isEqualTo(expected);
  }
}

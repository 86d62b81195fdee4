package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SketchesTest {

  @Test
  void linearCountingEstimatesDistinctTopics() {
    TopicSketch s = new TopicSketch();
    for (int i = 0; i < 100; i++) {
      s.add(("topic/" + i).hashCode(), 0);
    }
    assertThat(s.distinct(0)).isCloseTo(100, within(15.0));
    assertThat(s.distinct(1)).isZero();
  }

  @Test
  void aSaturatedBitmapGivesItsLargestEstimateNotInfinity() {
    TopicSketch s = new TopicSketch();
    for (int i = 0; i < 100_000; i++) {
      s.add(i * 7919, 0);
    }
    assertThat(s.distinct(0)).isFinite().isGreaterThan(1000);
    s.clear(0);
    assertThat(s.distinct(0)).isZero();
  }

  @Test
  void rememberedTopicsAreNotNewAndAFullSketchKeepsCounting() {
    TopicSketch s = new TopicSketch();
    assertThat(s.add(42, 0)).isTrue();
    assertThat(s.add(42, 0)).isFalse();
    assertThat(s.add(0, 0)).as("hash 0 is a topic like any other").isTrue();
    for (int i = 0; i < 10 * TopicSketch.KNOWN; i++) {
      s.add(1000 + i, 0);
    }
    assertThat(s.newTopics).isEqualTo(2 + 10 * TopicSketch.KNOWN);
  }

  @Test
  void windowedCountSlidesThePreviousWindowOut() {
    WindowedCount c = new WindowedCount();
    c.add(100);
    assertThat(c.close()).isEqualTo(100);
    c.add(10);
    assertThat(c.sliding(0)).isEqualTo(110);
    assertThat(c.sliding(0.5)).isEqualTo(60);
    assertThat(c.sliding(1)).isEqualTo(10);
    assertThat(c.close()).isEqualTo(10);
    assertThat(c.close()).isZero();
    assertThat(c.idle()).isTrue();
  }

  @Test
  void distinctBitsLoseNothingAcrossTheWindowEnd() {
    DistinctBits b = new DistinctBits(1024);
    for (int i = 0; i < 50; i++) {
      b.add("id-" + i);
    }
    b.add(null);
    assertThat(b.estimate()).isCloseTo(50, within(5.0));
    assertThat(b.takeAndClear()).isCloseTo(50, within(5.0));
    assertThat(b.estimate()).isZero();
  }
}

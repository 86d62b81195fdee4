package io.bastion.detect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bastion.detect.ClientFeature;
import org.junit.jupiter.api.Test;

/** What a client's baseline learns from a window, and what it leaves out. */
class ClientBaselineTest {

  private static final int D = ClientFeature.COUNT;

  private static double[] window(double publishes, double payload, double connects, double will) {
    double[] x = new double[D];
    x[ClientFeature.PUBLISHES_IN.ordinal()] = FeatureScaling.scale(ClientFeature.PUBLISHES_IN.ordinal(), publishes);
    x[ClientFeature.PAYLOAD_MEAN.ordinal()] = FeatureScaling.scale(ClientFeature.PAYLOAD_MEAN.ordinal(), payload);
    x[ClientFeature.CONNECTS.ordinal()] = FeatureScaling.scale(ClientFeature.CONNECTS.ordinal(), connects);
    x[ClientFeature.WILL_SIZE.ordinal()] = FeatureScaling.scale(ClientFeature.WILL_SIZE.ordinal(), will);
    return x;
  }

  @Test
  void aPayloadIsAveragedOverWindowsWithMessagesOnly() {
    ClientBaseline b = new ClientBaseline(D);
    int payload = ClientFeature.PAYLOAD_MEAN.ordinal();
    b.learn(window(1, 200, 0, 0), 0.04, 0.001, true, true);
    for (int i = 0; i < 9; i++) {
      b.learn(window(0, 0, 0, 0), 0.04, 0.001, true, true); // silent windows carry no payload
    }
    assertThat(b.mean(payload)).isCloseTo(Math.log1p(200), within(1e-4));
    assertThat(b.zScore(payload, Math.log1p(200), 0.2)).isCloseTo(0, within(1e-3));
    assertThat(ClientBaseline.absent(payload, window(0, 0, 0, 0))).isTrue();
    assertThat(ClientBaseline.absent(payload, window(1, 200, 0, 0))).isFalse();
  }

  @Test
  void theWillSizeCountsOnlyInWindowsWithAConnect() {
    ClientBaseline b = new ClientBaseline(D);
    int will = ClientFeature.WILL_SIZE.ordinal();
    b.learn(window(0, 0, 1, 60), 0.04, 0.001, true, true);
    b.learn(window(0, 0, 0, 0), 0.04, 0.001, true, true);
    b.learn(window(0, 0, 1, 60), 0.04, 0.001, true, true);
    assertThat(b.mean(will)).isCloseTo(Math.log1p(60), within(1e-4));
    assertThat(b.peak(will)).isCloseTo(Math.log1p(60), within(1e-4));
  }

  @Test
  void newTopicsOfAClientStillLearningItsBaselineAreNotItsUsual() {
    ClientBaseline b = new ClientBaseline(D);
    int share = ClientFeature.NEW_TOPIC_SHARE.ordinal();
    double[] first = window(3, 100, 1, 50);
    first[share] = FeatureScaling.scale(share, 1.0); // every topic of a new client is new
    b.learn(first, 0.04, 0.001, true, false);
    assertThat(b.mean(share)).isZero();
    assertThat(b.peak(share)).isZero();
    b.learn(first, 0.04, 0.001, true, true);
    assertThat(b.peak(share)).isEqualTo((float) first[share]);
  }

  @Test
  void aFlaggedWindowDoesNotRaiseThePeakAndPeaksDecayToZeroAtMost() {
    ClientBaseline b = new ClientBaseline(D);
    int payload = ClientFeature.PAYLOAD_MEAN.ordinal();
    b.learn(window(1, 100, 0, 0), 0.04, 0.5, true, true);
    b.learn(window(1, 10_000, 0, 0), 0.04, 0.5, false, true);
    assertThat(b.peak(payload)).isCloseTo(Math.log1p(100), within(1e-4));
    for (int i = 0; i < 20; i++) {
      b.learn(window(0, 0, 0, 0), 0.04, 0.5, true, true);
    }
    assertThat(b.peak(ClientFeature.PUBLISHES_IN.ordinal())).isZero();
  }
}

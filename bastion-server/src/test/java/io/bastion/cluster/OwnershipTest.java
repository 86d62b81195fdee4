package io.bastion.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  private static Map.Entry<String, String> entry(String value) {
    return new AbstractMap.SimpleEntry<>("dev-1", value);
  }

  @Test
  void theLaterConnectionWinsAndTheOlderIsReturnedToBeClosed() {
    Ownership older = new Ownership("a", 1, 1000, "p/b1");
    Ownership newer = new Ownership("b", 7, 1005, "p/b2");
    Map.Entry<String, String> e = entry(older.encode());
    assertThat(new Ownership.Claim(newer).process(e)).isEqualTo(older.encode());
    assertThat(e.getValue()).isEqualTo(newer.encode());
    // a claim that arrives late for an older connection loses: it is the one to close
    assertThat(new Ownership.Claim(older).process(e)).isEqualTo(older.encode());
    assertThat(e.getValue()).isEqualTo(newer.encode());
  }

  @Test
  void claimingAgainLosesNothing() {
    Ownership mine = new Ownership("a", 1, 1000, "p/b1");
    Map.Entry<String, String> e = entry(mine.encode());
    assertThat(new Ownership.Claim(mine).process(e)).isNull();
    assertThat(Ownership.decode(e.getValue())).isEqualTo(mine);
  }

  @Test
  void onlyTheHoldingSessionReleases() {
    Ownership mine = new Ownership("a", 1, 1000, "p/b1");
    Map.Entry<String, String> e = entry(mine.encode());
    assertThat(new Ownership.Release("a", 2).process(e)).isFalse();
    assertThat(new Ownership.Release("b", 1).process(e)).isFalse();
    assertThat(new Ownership.Release("a", 1).process(e)).isTrue();
    assertThat(e.getValue()).isNull();
  }
}

package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.OverflowConfig;
import io.bastion.config.RuleConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Moving sessions back to a recovered pool: only after the hold, then at the return rate. */
class PriorityPoolsTest {

  private static final long MS = 1_000_000L;

  private long now = 1_000 * MS;
  private final PriorityRouteTest.Pools view = new PriorityRouteTest.Pools();
  private final PriorityPools pools = new PriorityPools(view, () -> now);
  /** Sessions of the rule on the cloud pool, as the relay would count them. */
  private int onCloud;
  private final List<PriorityPools.MoveBack> moved = new ArrayList<>();

  @Test
  void sessionsMoveBackOnlyAfterTheHoldAndThenAtTheReturnRate() {
    pools.apply(List.of(rule(Duration.ofSeconds(30), 20)));
    view.ensure("local");
    view.add("cloud", 0, 0);
    onCloud = 100;
    tickEvery(100, 10_000);
    assertThat(moved).isEmpty(); // local is down: nothing to return to
    assertThat(pools.status().get(0).active()).isEqualTo("cloud");
    assertThat(pools.status().get(0).returnInSeconds()).isNull();

    view.add("local", 0, 0); // local recovers, seen at the next tick
    now += 100 * MS;
    tick();
    tickEvery(100, 29_900);
    assertThat(moved).isEmpty();
    PriorityStatus waiting = pools.status().get(0);
    assertThat(waiting.active()).isEqualTo("local");
    assertThat(waiting.sessionsBelow()).isEqualTo(100);
    assertThat(waiting.returnInSeconds()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));

    // 30 s after the recovery the first one moves at once, then 20 a second
    tickEvery(100, 100);
    assertThat(movedCount()).isEqualTo(1);
    tickEvery(100, 2_000);
    assertThat(movedCount()).isEqualTo(41);
    assertThat(moved).allSatisfy(m -> {
      assertThat(m.to()).isEqualTo("local");
      assertThat(m.from()).containsExactly("cloud");
    });
    assertThat(pools.status().get(0).returnInSeconds()).isEqualTo(0.0);
  }

  @Test
  void aRelapseDuringTheHoldStartsItAgain() {
    pools.apply(List.of(rule(Duration.ofSeconds(10), 50)));
    view.add("cloud", 0, 0);
    view.add("local", 0, 0);
    onCloud = 10;
    tickEvery(100, 9_000);
    view.up.get("local").clear(); // local fails again before the hold is over
    tickEvery(100, 1_000);
    view.add("local", 0, 0);
    tickEvery(100, 9_900);
    assertThat(moved).isEmpty();
    tickEvery(100, 200);
    assertThat(movedCount()).isPositive();
  }

  @Test
  void pacingNeverBurstsMoreThanOneSecondOfMovesAfterALateTick() {
    pools.apply(List.of(rule(Duration.ZERO, 5)));
    view.add("cloud", 0, 0);
    view.add("local", 0, 0);
    onCloud = 1_000;
    tick();
    assertThat(movedCount()).isEqualTo(1);
    now += 60_000 * MS; // the ticking thread stalled for a minute
    tick();
    assertThat(movedCount()).isEqualTo(6);
  }

  @Test
  void reloadKeepsTheStateOfAnUnchangedRuleAndStartsAfreshForAChangedOne() {
    pools.apply(List.of(rule(Duration.ofSeconds(5), 10)));
    view.add("cloud", 0, 0);
    view.add("local", 0, 0);
    onCloud = 3;
    tickEvery(100, 4_000);
    pools.apply(List.of(rule(Duration.ofSeconds(5), 10)));
    tickEvery(100, 1_100);
    assertThat(movedCount()).isPositive();
    pools.movedBack("plant", 2);
    assertThat(pools.status().get(0).movedBack()).isEqualTo(2);

    pools.apply(List.of(rule(Duration.ofSeconds(5), 11)));
    moved.clear();
    tickEvery(100, 4_000);
    assertThat(moved).isEmpty();
    assertThat(pools.status().get(0).movedBack()).isZero();
  }

  @Test
  void singlePoolRulesAreNotTracked() {
    pools.apply(List.of(new RuleConfig("plain", "local", List.of(), null, null, null, null)));
    assertThat(pools.any()).isFalse();
    assertThat(pools.status()).isEmpty();
  }

  private static RuleConfig rule(Duration hold, double rate) {
    return PriorityRouteTest.rule(new OverflowConfig(0.9, hold, rate, 0), 0);
  }

  private void tickEvery(long stepMillis, long forMillis) {
    for (long t = 0; t < forMillis; t += stepMillis) {
      now += stepMillis * MS;
      tick();
    }
  }

  private void tick() {
    for (PriorityPools.MoveBack m : pools.tick((rule, from) -> from.contains("cloud") ? onCloud : 0)) {
      moved.add(m);
      onCloud -= m.count();
    }
  }

  private int movedCount() {
    return moved.stream().mapToInt(PriorityPools.MoveBack::count).sum();
  }
}

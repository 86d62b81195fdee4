package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.detect.sim.VirtualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsernameGuardsTest {

  private final VirtualClock clock = new VirtualClock(1_000_000);
  private final UsernameGuards guards = new UsernameGuards(clock);

  private Instant in(long millis) {
    return Instant.ofEpochMilli(clock.millis() + millis);
  }

  @Test
  void anUnguardedUsernameRefusesNobody() {
    assertThat(guards.refusing("meter-7", "stranger", "127.0.0.9")).isNull();
    assertThat(guards.list()).isEmpty();
  }

  @Test
  void theOwnerPassesAndStrangersAreRefused() {
    guards.loggedIn("meter-7", "meter-7", "127.0.0.7");
    guards.guard("meter-7", "slow guessing", in(60_000), "detect:brute-force-slow");
    assertThat(guards.refusing("meter-7", "meter-7", "127.0.0.7")).isNull();
    assertThat(guards.refusing("meter-7", "guess-1", "127.0.0.9")).isNotNull();
    // a fresh id from the owner's own address, and the owner's id from elsewhere, are strangers too
    assertThat(guards.refusing("meter-7", "guess-2", "127.0.0.7")).isNotNull();
    assertThat(guards.refusing("meter-7", "meter-7", "127.0.0.9")).isNotNull();
    // known as another username does not help
    guards.loggedIn("meter-8", "guess-3", "127.0.0.9");
    assertThat(guards.refusing("meter-7", "guess-3", "127.0.0.9")).isNotNull();
    assertThat(guards.refusing("meter-8", "guess-3", "127.0.0.9")).isNull();
  }

  @Test
  void aGuardLastsItsTimeThenLetsEveryoneTryAgain() {
    guards.guard("meter-7", "slow guessing", in(60_000), "detect:brute-force-slow");
    clock.advance(59_999);
    assertThat(guards.refusing("meter-7", "guess", "127.0.0.9")).isNotNull();
    assertThat(guards.list()).extracting(UsernameGuards.Guard::username).containsExactly("meter-7");
    clock.advance(1);
    assertThat(guards.refusing("meter-7", "guess", "127.0.0.9")).isNull();
    assertThat(guards.list()).isEmpty();
    assertThat(guards.clear("meter-7")).isNull(); // nothing in force to clear
  }

  @Test
  void clearLiftsAGuard() {
    guards.guard("meter-7", "r", in(60_000), "api");
    assertThat(guards.clear("meter-7")).extracting(UsernameGuards.Guard::source).isEqualTo("api");
    assertThat(guards.refusing("meter-7", "guess", "127.0.0.9")).isNull();
  }

  @Test
  void remembersTheLastFewLoginsOfAUsername() {
    guards.guard("shared", "r", in(60_000), "api");
    for (int i = 0; i <= UsernameGuards.LOGINS_PER_USERNAME; i++) {
      guards.loggedIn("shared", "dev-" + i, "127.0.1." + i);
    }
    assertThat(guards.refusing("shared", "dev-0", "127.0.1.0")).isNotNull(); // the oldest made room
    for (int i = 1; i <= UsernameGuards.LOGINS_PER_USERNAME; i++) {
      assertThat(guards.refusing("shared", "dev-" + i, "127.0.1." + i)).isNull();
    }
    guards.loggedIn("shared", "dev-4", "127.0.1.4"); // already known: nothing pushed out
    assertThat(guards.refusing("shared", "dev-1", "127.0.1.1")).isNull();
  }

  @Test
  void theUsernamesRememberedAreBounded() {
    for (int i = 0; i < UsernameGuards.MAX_USERNAMES + 50; i++) {
      guards.loggedIn("user-" + i, "id", "127.0.0.1");
    }
    assertThat(guards.rememberedUsernames()).isEqualTo(UsernameGuards.MAX_USERNAMES);
  }

  @Test
  void loginsWithoutAUsernameOrClientIdAreNotRemembered() {
    guards.loggedIn(null, "id", "127.0.0.1");
    guards.loggedIn("", "id", "127.0.0.1");
    guards.loggedIn("u", null, "127.0.0.1");
    assertThat(guards.rememberedUsernames()).isZero();
  }
}

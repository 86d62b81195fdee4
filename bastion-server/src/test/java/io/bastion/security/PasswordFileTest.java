package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordFileTest {

  @Test
  void hashesVerifyAndAreSalted() {
    String a = PasswordHasher.hash("secret".toCharArray(), 1000);
    String b = PasswordHasher.hash("secret".toCharArray(), 1000);
    assertThat(a).startsWith("$pbkdf2-sha256$1000$").isNotEqualTo(b);
    assertThat(PasswordHasher.verify("secret".toCharArray(), a)).isTrue();
    assertThat(PasswordHasher.verify("Secret".toCharArray(), a)).isFalse();
    assertThat(PasswordHasher.verify("secret".toCharArray(), "$pbkdf2-sha256$x$y")).isFalse();
  }

  @Test
  void fileGivesUsersAndGroups() {
    String hash = PasswordHasher.hash("pw".toCharArray(), 1000);
    PasswordFile f = PasswordFile.parse(List.of("# users", "alice:" + hash + ":ops, sensors", "bob:" + hash),
        "passwd");
    PasswordFile.User alice = f.verify("alice", "pw".getBytes(StandardCharsets.UTF_8));
    assertThat(alice.groups()).containsExactly("ops", "sensors");
    assertThat(f.verify("bob", "nope".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(f.verify("carol", "pw".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void malformedLinesNameTheirLine() {
    assertThatThrownBy(() -> PasswordFile.parse(List.of("", "alice:plain"), "passwd"))
        .hasMessageContaining("passwd line 2");
  }

  @Test
  void withUserReplacesOrAppendsKeepingGroups() {
    List<String> lines = PasswordFile.withUser(List.of("alice:$old:ops"), "alice", "$new");
    assertThat(lines).containsExactly("alice:$new:ops");
    assertThat(PasswordFile.withUser(lines, "bob", "$b")).containsExactly("alice:$new:ops", "bob:$b");
  }
}

package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.config.AccessEntryConfig;
import io.bastion.config.AccessEntryConfig.Kind;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlocklistTest {

  private final MutableClock clock = new MutableClock();
  private final Blocklist list = new Blocklist("blocklist", clock);

  @Test
  void cidrMatchingUsesTheLongestPrefixForIpv4AndIpv6() throws Exception {
    list.add(Kind.IP, "10.0.0.0/8", "wide", null, "api");
    list.add(Kind.IP, "10.1.2.0/24", "narrow", null, "api");
    list.add(Kind.IP, "2001:db8::/32", "v6", null, "api");
    list.add(Kind.IP, "192.0.2.7", "one", null, "api");
    assertThat(list.match(ip("10.1.2.3"), null, null, null).reason()).isEqualTo("narrow");
    assertThat(list.match(ip("10.9.9.9"), null, null, null).reason()).isEqualTo("wide");
    assertThat(list.match(ip("2001:db8:1::5"), null, null, null).reason()).isEqualTo("v6");
    assertThat(list.match(ip("192.0.2.7"), null, null, null).reason()).isEqualTo("one");
    assertThat(list.match(ip("192.0.2.8"), null, null, null)).isNull();
    assertThat(list.match(ip("11.0.0.1"), null, null, null)).isNull();
    assertThat(list.match(ip("2001:db9::1"), null, null, null)).isNull();
    list.remove(Kind.IP, "10.1.2.0/24");
    assertThat(list.match(ip("10.1.2.3"), null, null, null).reason()).isEqualTo("wide");
  }

  @Test
  void zeroPrefixMatchesEveryAddressOfItsFamily() throws Exception {
    list.add(Kind.IP, "0.0.0.0/0", "all v4", null, "api");
    assertThat(list.match(ip("203.0.113.9"), null, null, null)).isNotNull();
    assertThat(list.match(ip("::1"), null, null, null)).isNull();
  }

  @Test
  void clientIdsExactAndGlobUsernamesAndFingerprints() {
    String fp = "AB:".repeat(31) + "AB";
    list.add(Kind.CLIENT_ID, "bad-1", "exact", null, "api");
    list.add(Kind.CLIENT_ID, "scan-*", "glob", null, "api");
    list.add(Kind.USERNAME, "mallory", "user", null, "api");
    list.add(Kind.CERTIFICATE, fp, "cert", null, "api");
    assertThat(list.match(null, "bad-1", null, null).reason()).isEqualTo("exact");
    assertThat(list.match(null, "bad-12", null, null)).isNull();
    assertThat(list.match(null, "scan-42", null, null).reason()).isEqualTo("glob");
    assertThat(list.match(null, "ok", "mallory", null).reason()).isEqualTo("user");
    assertThat(list.match(null, "ok", null, "ab".repeat(32)).reason()).isEqualTo("cert");
  }

  @Test
  void expiredEntriesStopMatchingAndLeaveTheList() throws Exception {
    list.add(Kind.IP, "10.0.0.0/8", "short", clock.instant().plusSeconds(60), "api");
    assertThat(list.match(ip("10.0.0.1"), null, null, null)).isNotNull();
    clock.now = clock.now.plusSeconds(61);
    assertThat(list.match(ip("10.0.0.1"), null, null, null)).isNull();
    assertThat(list.list()).isEmpty();
  }

  @Test
  void reloadReplacesConfiguredEntriesAndKeepsRuntimeOnes() {
    list.replaceConfigured(List.of(new AccessEntryConfig(Kind.USERNAME, "old", "cfg", null)));
    list.add(Kind.USERNAME, "runtime", "api", null, "api");
    list.replaceConfigured(List.of(new AccessEntryConfig(Kind.USERNAME, "new", "cfg", null)));
    assertThat(list.list()).extracting(Blocklist.Entry::value).containsExactlyInAnyOrder("runtime", "new");
  }

  @Test
  void listenersHearOfAdditionsAndRemovals() {
    List<String> heard = new ArrayList<>();
    list.addListener(new Blocklist.Listener() {
      @Override
      public void added(Blocklist.Entry e) {
        heard.add("+" + e.value());
      }

      @Override
      public void removed(Blocklist.Entry e) {
        heard.add("-" + e.value());
      }
    });
    list.add(Kind.CLIENT_ID, "x", "r", null, "api");
    list.remove(Kind.CLIENT_ID, "x");
    assertThat(heard).containsExactly("+x", "-x");
  }

  @Test
  void invalidValuesAreRefused() {
    assertThatThrownBy(() -> list.add(Kind.IP, "10.0.0.1/8", "r", null, "api"))
        .hasMessageContaining("beyond the prefix");
    assertThatThrownBy(() -> list.add(Kind.IP, "example.com", "r", null, "api"))
        .hasMessageContaining("expected an IP address");
    assertThatThrownBy(() -> list.add(Kind.CERTIFICATE, "abc", "r", null, "api"))
        .hasMessageContaining("SHA-256");
  }

  @Test
  void entryMatchingForOpenSessions() throws Exception {
    Blocklist.Entry net = list.add(Kind.IP, "10.0.0.0/8", "r", null, "api");
    Blocklist.Entry glob = list.add(Kind.CLIENT_ID, "dev-?", "r", null, "api");
    assertThat(Blocklist.matches(net, ip("10.3.3.3"), "c", null, null)).isTrue();
    assertThat(Blocklist.matches(net, ip("11.3.3.3"), "c", null, null)).isFalse();
    assertThat(Blocklist.matches(glob, null, "dev-7", null, null)).isTrue();
    assertThat(Blocklist.matches(glob, null, "dev-77", null, null)).isFalse();
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

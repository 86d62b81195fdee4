package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.DetectorCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows replayed into the real rules: attacks trip them at their default limits, normal traffic does not. */
class WindowRulesTest {

  private static final long WINDOW = 10_000;
  private final List<Detection> found = new ArrayList<>();
  private final WindowRules rules = WindowRules.enforcingDefaults(new Responder() {
    public void respond(Detection d) {
      found.add(d);
    }

    public boolean flagged(String clientId) {
      return false;
    }
  });

  private static ClientWindow window(String id, String ip, String username, long end, double... pairs) {
    double[] v = new double[ClientFeature.COUNT];
    v[ClientFeature.KEEPALIVE.ordinal()] = 60;
    for (int i = 0; i < pairs.length; i += 2) {
      v[(int) pairs[i]] = pairs[i + 1];
    }
    return new ClientWindow(id, ip, "tcp", username, "default", end, WINDOW, v);
  }

  private static double f(ClientFeature feature) {
    return feature.ordinal();
  }

  @Test
  void aPublishFloodWindowTripsThePublishFloodRule() {
    // 150,000 messages in 10 s: 15,000 a second against the default limit of 10,000
    rules.accept(List.of(
        window("flooder", "127.0.0.5", "flooder", WINDOW, f(ClientFeature.PUBLISHES_IN), 150_000,
            f(ClientFeature.BYTES_IN), 150_000 * 60.0),
        window("sensor", "127.0.0.6", "sensor", WINDOW, f(ClientFeature.PUBLISHES_IN), 10,
            f(ClientFeature.BYTES_IN), 600)));
    assertThat(found).hasSize(1);
    Detection d = found.get(0);
    assertThat(d.detector()).isEqualTo(DetectorCatalog.PUBLISH_FLOOD);
    assertThat(d.clientId()).isEqualTo("flooder");
    assertThat(d.remoteIp()).isEqualTo("127.0.0.5");
    assertThat(d.wanted()).isEqualTo(Detection.Action.THROTTLE);
    assertThat(d.because().get(0)).contains("15,000 messages published per second").contains("limit 10,000");
  }

  @Test
  void aNormalWindowTripsNothing() {
    for (int n = 1; n <= 6; n++) {
      rules.accept(List.of(window("sensor", "127.0.0.6", "sensor", n * WINDOW,
          f(ClientFeature.PUBLISHES_IN), 9_000 * 10, f(ClientFeature.BYTES_IN), 9_000 * 10 * 60.0,
          f(ClientFeature.CONNECTS), n == 1 ? 1 : 0)));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void refusedLoginsForOneUsernameFromManyAddressesTripTheUsernameRules() {
    List<ClientWindow> windows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      windows.add(window("guess-" + i, "127.0.1." + (1 + i % 8), "admin", WINDOW,
          f(ClientFeature.CONNECTS), 1, f(ClientFeature.AUTH_FAILURES), 1, f(ClientFeature.OTHER_PACKETS), 1));
    }
    rules.accept(windows);
    assertThat(found).extracting(Detection::detector).containsExactlyInAnyOrder(DetectorCatalog.BRUTE_FORCE_USER,
        DetectorCatalog.BRUTE_FORCE_DISTRIBUTED, DetectorCatalog.BRUTE_FORCE_SLOW);
    assertThat(found).allSatisfy(d -> {
      assertThat(d.username()).isEqualTo("admin");
      assertThat(d.wanted()).isEqualTo(d.detector().equals(DetectorCatalog.BRUTE_FORCE_SLOW)
          ? Detection.Action.GUARD : Detection.Action.BLOCK);
    });
  }

  @Test
  void oneGuessAMinuteWithFreshIdsIsFoundAcrossWindowsWithinFiveMinutes() {
    // the suite's slow brute force: a fresh client id a minute, one wrong password each, one target
    long end = 0;
    for (int minute = 0; minute < 5 && found.isEmpty(); minute++) {
      for (int w = 1; w <= 6; w++) {
        end += WINDOW;
        List<ClientWindow> windows = new ArrayList<>();
        windows.add(window("meter-7", "127.0.0.7", "meter-7", end, f(ClientFeature.PUBLISHES_IN), 6,
            f(ClientFeature.BYTES_IN), 600));
        if (w == 3) {
          windows.add(window("guess-" + minute, "127.0.1." + minute, "meter-7", end,
              f(ClientFeature.CONNECTS), 1, f(ClientFeature.AUTH_FAILURES), 1, f(ClientFeature.OTHER_PACKETS), 1));
        }
        rules.accept(windows);
      }
    }
    assertThat(found).singleElement().satisfies(d -> {
      assertThat(d.detector()).isEqualTo(DetectorCatalog.BRUTE_FORCE_SLOW);
      assertThat(d.username()).isEqualTo("meter-7");
      assertThat(d.wanted()).isEqualTo(Detection.Action.GUARD);
      assertThat(d.time().toEpochMilli()).isEqualTo(2 * 60_000 + 3 * WINDOW); // the third guess
      assertThat(d.because().get(1)).contains("from 3 client ids");
    });
  }

  @Test
  void aDeviceRetryingWithItsOwnIdAfterAPasswordChangeIsNotFlagged() {
    for (int n = 1; n <= 60; n++) { // ten minutes, a failed retry every 20 s with backoff's worth of gaps
      rules.accept(List.of(window("meter-7", "127.0.0.7", "meter-7", n * WINDOW,
          f(ClientFeature.CONNECTS), n % 2, f(ClientFeature.AUTH_FAILURES), n % 2, f(ClientFeature.OTHER_PACKETS), 1)));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void aSessionHeldUnacknowledgedAcrossWindowsTripsTheSlowSubscriberRule() {
    for (int n = 1; n <= 5; n++) {
      rules.accept(List.of(window("slow", "127.0.0.7", "slow", n * WINDOW,
          f(ClientFeature.MESSAGES_OUT), 40, f(ClientFeature.INFLIGHT), 200)));
    }
    assertThat(found).extracting(Detection::detector).contains(DetectorCatalog.SLOW_SUBSCRIBER);
    assertThat(found.get(0).time().toEpochMilli()).isGreaterThanOrEqualTo(4 * WINDOW);
  }
}

package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/** What detection keeps per tracked client stays within 1 KiB. */
class ClientStateSizeTest {

  @Test
  void countersAndTheDetectionThreadsStatePerClientFitInOneKibibyte() {
    try (Harness h = new Harness()) {
      Harness.Client c = h.connect("a-client-id", "127.0.0.5", "user", 5, 60);
      for (int i = 0; i < 200; i++) {
        c.in(Packets.publish("topic/" + i, 1, false, 10, true)); // fills the topic sketch
      }
      h.tick();
      TrackedClient t = h.engine.clients().iterator().next();
      // the window clock and the address's counters are shared; the client id string is the session's
      long counters = GraphLayout.parseInstance(c.counters()).totalSize()
          - GraphLayout.parseInstance(h.engine.clock()).totalSize()
          - GraphLayout.parseInstance(c.counters().address).totalSize()
          - GraphLayout.parseInstance(c.counters().clientId.clientId).totalSize();
      long tracked = ClassLayout.parseInstance(t).instanceSize()
          + GraphLayout.parseInstance((Object) t.windowStart).totalSize();
      long perClient = counters + tracked;
      System.out.printf("detection state per client: counters %d B + detection thread %d B = %d B%n",
          counters, tracked, perClient);
      assertThat(perClient).isLessThanOrEqualTo(1024);
    }
  }
}

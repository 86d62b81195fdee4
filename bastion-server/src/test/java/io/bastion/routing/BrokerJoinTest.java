package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A broker that joins takes its fair share and no more: ≈ 1/(N+1) of the client ids move. */
class BrokerJoinTest {

  @Test
  void joinMovesAboutOneInNPlusOneClients() {
    RendezvousBalancer balancer = new RendezvousBalancer(0, 0);
    List<FakeTarget> before = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      before.add(new FakeTarget("broker-" + i, 1));
    }
    List<FakeTarget> after = new ArrayList<>(before);
    FakeTarget joined = new FakeTarget("broker-new", 1);
    after.add(joined);
    int clients = 20_000;
    int moved = 0;
    for (int c = 0; c < clients; c++) {
      String id = "device-" + c;
      FakeTarget was = balancer.order(id, before).get(0);
      FakeTarget is = balancer.order(id, after).get(0);
      if (was != is) {
        moved++;
        assertThat(is).isSameAs(joined); // only to the new broker, never between old ones
      }
    }
    assertThat(moved / (double) clients).isBetween(0.2 - 0.02, 0.2 + 0.02);
  }
}

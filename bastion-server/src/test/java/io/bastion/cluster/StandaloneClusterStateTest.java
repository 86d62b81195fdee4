package io.bastion.cluster;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterStateTest extends ClusterStateContract {

  private Member member;

  @BeforeAll
  void start() {
    TestNode node = new TestNode("solo");
    StandaloneClusterState state = new StandaloneClusterState("f1");
    state.start(node);
    member = new Member(node, state);
  }

  @AfterAll
  void stop() {
    member.state().close();
    member.node().close();
  }

  @Override
  List<Member> members() {
    return List.of(member);
  }
}

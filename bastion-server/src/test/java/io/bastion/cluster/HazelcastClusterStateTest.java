package io.bastion.cluster;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The contract with three embedded members in one JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastClusterStateTest extends ClusterStateContract {

  private List<Member> members;

  @BeforeAll
  void start() {
    members = HazelcastMembers.start(3, "contract", Duration.ofSeconds(5));
  }

  @AfterAll
  void stop() {
    HazelcastMembers.stop(members);
  }

  @Override
  List<Member> members() {
    return members;
  }
}

package io.bastion.backend.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.config.BrokerConfig;
import io.bastion.config.DiscoveryConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsSourceTest {

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void followsSrvRecordsWithinTheirTtlAndHoldsAnEmptyAnswer() throws Exception {
    try (TestDnsServer dns = new TestDnsServer()) {
      dns.serve(1, List.of(new TestDnsServer.Srv(10, 5, 1883, "b1.example"),
          new TestDnsServer.Srv(10, 1, 1884, "b2.example"),
          new TestDnsServer.Srv(20, 1, 1885, "standby.example")));
      DiscoveryConfig.Dns config = new DiscoveryConfig.Dns("_mqtt._tcp.example", DiscoveryConfig.RecordType.SRV,
          0, Duration.ofMillis(200), Duration.ofSeconds(30), "127.0.0.1", dns.port());
      List<List<BrokerConfig>> answers = new CopyOnWriteArrayList<>();
      DnsSource source = new DnsSource("p", config, group.next(), NioDatagramChannel.class, scheduler);
      source.start(answers::add);
      try {
        await().atMost(Duration.ofSeconds(2)).until(() -> !answers.isEmpty());
        // only the best priority, with weights and ports, in id order
        assertThat(answers.get(0)).containsExactly(
            new BrokerConfig("b1.example:1883", "b1.example", 1883, 5),
            new BrokerConfig("b2.example:1884", "b2.example", 1884, 1));

        dns.serve(1, List.of(new TestDnsServer.Srv(10, 1, 1883, "b1.example"),
            new TestDnsServer.Srv(10, 1, 1886, "b3.example")));
        long changed = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).until(() ->
            answers.get(answers.size() - 1).stream().anyMatch(b -> b.host().equals("b3.example")));
        // applied within the TTL (1 s) plus one second
        assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(2));

        int before = answers.size();
        long failuresBefore = source.status().failures();
        dns.serve(1, List.of());
        await().atMost(Duration.ofSeconds(3)).until(() -> source.status().failures() > failuresBefore);
        assertThat(answers).hasSize(before); // the empty answer was not handed on
        assertThat(source.status().brokers()).isEqualTo(2);
        assertThat(source.status().lastError()).contains("empty answer");
      } finally {
        source.close();
      }
    }
  }
}

package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.bastion.frontend.Listener;
import io.bastion.frontend.Refusal;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 2,000 slowloris sockets and a CONNECT flood from one address do not keep 50 legitimate clients
 * from other addresses out.
 */
class FloodIT {

  private static final String LIMITS = "security:\n  connections:\n    max: 5000\n    max-per-ip: 150\n"
      + "    rate-per-ip: 50\n    burst-per-ip: 200\n";

  @Test
  void legitimateClientsGetThroughSlowlorisAndConnectFlood() throws Exception {
    try (ProxyFixture fixture = ProxyFixture.startWithYaml(1, LIMITS)) {
      int port = fixture.port();
      List<Socket> slowloris = new ArrayList<>();
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger floodAttempts = new AtomicInteger();
      Thread flood = new Thread(() -> flood(port, flooding, floodAttempts), "connect-flood");
      try {
        // 2,000 half-open CONNECTs from 20 addresses, 100 each
        for (int i = 0; i < 2000; i++) {
          Socket s = new Socket();
          s.bind(new InetSocketAddress(InetAddress.getByName("127.0.1." + (1 + i / 100)), 0));
          s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          s.getOutputStream().write(new byte[] {0x10, 0x7F, 0x00});
          slowloris.add(s);
        }
        flood.start();
        List<CompletableFuture<?>> legit = new ArrayList<>();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          Mqtt5AsyncClient c = MqttClient.builder().identifier("legit-" + i).serverHost("127.0.0.1")
              .serverPort(port).transportConfig()
              .localAddress(new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + i)), 0))
              .applyTransportConfig().useMqttVersion5().buildAsync();
          clients.add(c);
          legit.add(c.connect().thenCompose(ack -> c.publishWith().topic("legit/" + c.getConfig()
              .getClientIdentifier().get()).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send()));
        }
        CompletableFuture.allOf(legit.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        clients.forEach(c -> c.disconnect());
      } finally {
        flooding.set(false);
        flood.join(10_000);
        for (Socket s : slowloris) {
          s.close();
        }
      }
      Listener listener = fixture.bastion().listeners().get(0);
      assertThat(floodAttempts.get()).isGreaterThan(200);
      assertThat(listener.stats().refusals(Refusal.CONNECTION_RATE_PER_IP)).isPositive();
    }
  }

  /** Full CONNECTs from 127.0.0.2, as fast as they are taken, until told to stop. */
  private static void flood(int port, AtomicBoolean flooding, AtomicInteger attempts) {
    byte[] connect = new RawMqttClient.Connect(4).clientId("flood").build();
    while (flooding.get() && attempts.get() < 20_000) {
      attempts.incrementAndGet();
      try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName("127.0.0.2"), 0)) {
        s.setSoLinger(true, 0);
        s.getOutputStream().write(connect);
      } catch (IOException e) {
        // refused or reset: what a flood gets
      }
    }
  }
}

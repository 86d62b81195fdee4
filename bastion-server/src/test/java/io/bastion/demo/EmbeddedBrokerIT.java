package io.bastion.demo;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.testing.MqttClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path base;

    @Test
    void twoBrokersCarryMessagesTrackSessionsAndOneComesBackOnItsPort() throws Exception {
        try (EmbeddedBrokers brokers = EmbeddedBrokers.start(2, base)) {
            EmbeddedBroker one = brokers.get(1);
            EmbeddedBroker two = brokers.get(2);
            assertThat(one.name()).isEqualTo("broker-1");
            assertThat(two.name()).isEqualTo("broker-2");
            assertThat(one.port()).isPositive();
            assertThat(two.port()).isPositive().isNotEqualTo(one.port());
            assertThat(one.directory().resolve("conf/config.xml")).exists();
            assertThat(Files.readString(one.directory().resolve("conf/config.xml"))).contains("<port>0</port>");

            // broker 1, MQTT 5, QoS 1
            Mqtt5BlockingClient sub1 = MqttClients.mqtt5(one.port(), "sub-1");
            Mqtt5BlockingClient pub1 = MqttClients.mqtt5(one.port(), "pub-1");
            // broker 2, MQTT 3.1.1, QoS 1
            Mqtt3BlockingClient sub2 = MqttClients.mqtt3(two.port(), "sub-2");
            Mqtt3BlockingClient pub2 = MqttClients.mqtt3(two.port(), "pub-2");
            try {
                sub1.connect();
                try (Mqtt5BlockingClient.Mqtt5Publishes received = sub1.publishes(MqttGlobalPublishFilter.ALL)) {
                    sub1.subscribeWith().topicFilter("bastion/one/#").qos(MqttQos.AT_LEAST_ONCE).send();
                    pub1.connect();
                    pub1.publishWith().topic("bastion/one/a").qos(MqttQos.AT_LEAST_ONCE)
                            .payload("hello one".getBytes(StandardCharsets.UTF_8)).send();
                    Optional<Mqtt5Publish> message = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(message).isPresent();
                    assertThat(message.get().getTopic().toString()).isEqualTo("bastion/one/a");
                    assertThat(message.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                    assertThat(new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello one");
                }

                sub2.connect();
                try (Mqtt3BlockingClient.Mqtt3Publishes received = sub2.publishes(MqttGlobalPublishFilter.ALL)) {
                    sub2.subscribeWith().topicFilter("bastion/two/+").qos(MqttQos.AT_LEAST_ONCE).send();
                    pub2.connect();
                    pub2.publishWith().topic("bastion/two/b").qos(MqttQos.AT_LEAST_ONCE)
                            .payload("hello two".getBytes(StandardCharsets.UTF_8)).send();
                    Optional<Mqtt3Publish> message = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(message).isPresent();
                    assertThat(new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello two");
                }

                // each broker sees its own clients only
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(one.connectedClientIds()).containsExactlyInAnyOrder("sub-1", "pub-1");
                    assertThat(two.connectedClientIds()).containsExactlyInAnyOrder("sub-2", "pub-2");
                });
                assertThat(one.connectedCount()).isEqualTo(2);
                assertThat(one.connectCount("pub-1")).isEqualTo(1);
                assertThat(one.connectCount("sub-2")).isZero();
                assertThat(one.isConnected("sub-1")).isTrue();

                // a disconnect is tracked
                pub1.disconnect();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(one.connectedClientIds()).containsExactly("sub-1"));
                assertThat(one.isConnected("pub-1")).isFalse();

                // a reconnect counts again
                pub1.connect();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(one.connectedClientIds()).containsExactlyInAnyOrder("sub-1", "pub-1"));
                assertThat(one.connectCount("pub-1")).isEqualTo(2);
                assertThat(one.totalConnects()).isEqualTo(3);

                // stop broker 2: its clients are dropped, broker 1 is untouched
                int portTwo = two.port();
                long t0 = System.nanoTime();
                two.stop();
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(two.isRunning()).isFalse();
                assertThat(two.connectedCount()).isZero();
                await().atMost(WAIT).until(() -> !sub2.getState().isConnected() && !pub2.getState().isConnected());
                assertThat(one.connectedClientIds()).containsExactlyInAnyOrder("sub-1", "pub-1");
                System.out.printf("broker-2 stopped in %d ms%n", stopMillis);

                // bring it back on the same port; a client reconnects to it
                EmbeddedBroker twoAgain = brokers.restart(2);
                assertThat(twoAgain).isNotSameAs(two);
                assertThat(brokers.get(2)).isSameAs(twoAgain);
                assertThat(twoAgain.name()).isEqualTo("broker-2");
                assertThat(twoAgain.port()).isEqualTo(portTwo);
                assertThat(twoAgain.isRunning()).isTrue();
                assertThat(twoAgain.connectedCount()).isZero();

                Mqtt5BlockingClient back = MqttClients.mqtt5(portTwo, "sub-2");
                try {
                    back.connect();
                    await().atMost(WAIT).untilAsserted(() ->
                            assertThat(twoAgain.connectedClientIds()).containsExactly("sub-2"));
                    assertThat(twoAgain.connectCount("sub-2")).isEqualTo(1);
                    // and it carries messages
                    try (Mqtt5BlockingClient.Mqtt5Publishes received = back.publishes(MqttGlobalPublishFilter.ALL)) {
                        back.subscribeWith().topicFilter("again").qos(MqttQos.AT_LEAST_ONCE).send();
                        back.publishWith().topic("again").qos(MqttQos.AT_LEAST_ONCE)
                                .payload("back".getBytes(StandardCharsets.UTF_8)).send();
                        assertThat(received.receive(WAIT.toSeconds(), TimeUnit.SECONDS)).isPresent();
                    }
                } finally {
                    MqttClients.disconnectQuietly(back);
                }
            } finally {
                MqttClients.disconnectQuietly(sub1);
                MqttClients.disconnectQuietly(pub1);
                MqttClients.disconnectQuietly(sub2);
                MqttClients.disconnectQuietly(pub2);
            }
        }
    }

    @Test
    void stopsSeveralConcurrentlyAndRestartsOnAFixedPort() throws Exception {
        EmbeddedBrokers brokers = EmbeddedBrokers.start(3, base);
        List<EmbeddedBroker> first = brokers.list();
        long t0 = System.nanoTime();
        brokers.stopAll();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("three brokers stopped together in %d ms%n", millis);
        assertThat(first).noneMatch(EmbeddedBroker::isRunning);
        brokers.stopAll(); // idempotent

        int fixed = first.get(0).port();
        try (EmbeddedBroker again = EmbeddedBroker.start("broker-1", base, fixed)) {
            assertThat(again.port()).isEqualTo(fixed);
            assertThat(Files.readString(again.directory().resolve("conf/config.xml"))).contains("<port>" + fixed + "</port>");
            Mqtt5BlockingClient client = MqttClients.mqtt5(fixed, "fixed");
            try {
                client.connect();
                await().atMost(WAIT).until(() -> again.isConnected("fixed"));
            } finally {
                MqttClients.disconnectQuietly(client);
            }
            // restart() stops the running instance first
            EmbeddedBroker third = again.restart();
            try {
                assertThat(again.isRunning()).isFalse();
                assertThat(third.port()).isEqualTo(fixed);
            } finally {
                third.stop();
            }
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedBroker.start("taken", base, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broker taken did not start on 127.0.0.1:" + port + " (is the port in use?)")
                    .satisfies(e -> System.out.println("as expected: " + e.getMessage()));
        }
    }
}

package io.bastion.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("interop")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoIT {

    @Test
    void mosquittoSubReceivesWhatMosquittoPubSends() {
        try (Mosquitto mosquitto = Mosquitto.start()) {
            assertThat(mosquitto.isAlive()).isTrue();
            try (MosquittoClients.Running sub = MosquittoClients.startSub(mosquitto.port(),
                    "-i", "interop-sub", "-t", "bastion/interop", "-q", "1", "-C", "1", "-W", "10")) {
                // publish only once the subscription exists
                mosquitto.awaitSubscribed("interop-sub", "bastion/interop", Duration.ofSeconds(10));
                assertThat(sub.isAlive()).as("mosquitto_sub still running: %s", sub.stderr()).isTrue();

                MosquittoClients.Result pub = MosquittoClients.pub(mosquitto.port(),
                        "-i", "interop-pub", "-t", "bastion/interop", "-m", "hello mosquitto", "-q", "1");
                assertThat(pub.ok()).as("mosquitto_pub: %s", pub).isTrue();

                MosquittoClients.Result received = sub.await(Duration.ofSeconds(15));
                assertThat(received.exitCode()).as("mosquitto_sub: %s", received).isZero();
                assertThat(received.stdout()).contains("hello mosquitto");
            }
        }
    }

    @Test
    void subWithoutAMessageGivesUpAfterItsTimeout() {
        try (Mosquitto mosquitto = Mosquitto.start()) {
            MosquittoClients.Result result = MosquittoClients.sub(mosquitto.port(),
                    "-t", "nobody/publishes", "-C", "1", "-W", "1");
            assertThat(result.timedOut()).isFalse();
            assertThat(result.exitCode()).as("%s", result).isNotZero();
        }
    }

    @Test
    void stopEndsTheProcessAndFreesThePort() {
        Mosquitto mosquitto = Mosquitto.start();
        int port = mosquitto.port();
        mosquitto.stop();
        assertThat(mosquitto.isAlive()).isFalse();
        MosquittoClients.Result pub = MosquittoClients.publish(port, "t", "m", 0);
        assertThat(pub.exitCode()).as("%s", pub).isNotZero();
    }
}

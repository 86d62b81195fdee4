package io.bastion.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBrokerTest {

    @TempDir
    Path base;

    @Test
    void configListensOnLoopbackOnlyWithInMemoryPersistence() {
        String xml = EmbeddedBroker.configXml(18830);
        assertThat(xml)
                .contains("<tcp-listener>")
                .contains("<port>18830</port>")
                .contains("<bind-address>127.0.0.1</bind-address>")
                .contains("<mode>in-memory</mode>")
                .contains("<anonymous-usage-statistics>")
                .doesNotContain("0.0.0.0");
    }

    @Test
    void queueOfWaitingMessagesPerClientIsHiveMqsDefaultUnlessGiven() {
        assertThat(EmbeddedBroker.configXml(18830)).contains("<max-queue-size>1000</max-queue-size>");
        assertThat(EmbeddedBroker.configXml(18830, "", 250_000)).contains("<max-queue-size>250000</max-queue-size>");
        assertThatThrownBy(() -> EmbeddedBroker.start("b", base, 0, "", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxQueuedMessages");
    }

    @Test
    void rejectsNamesThatAreNotPlainFolderNames() {
        for (String bad : new String[] {"", " ", "../x", "a/b", ".hidden"}) {
            assertThatThrownBy(() -> EmbeddedBroker.start(bad, base, 0))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("broker name");
        }
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThatThrownBy(() -> EmbeddedBroker.start("b", base, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedBroker.start("b", base, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokersAreNamedFromOne() {
        assertThat(EmbeddedBrokers.name(1)).isEqualTo("broker-1");
        assertThatThrownBy(() -> EmbeddedBrokers.start(0, base)).isInstanceOf(IllegalArgumentException.class);
    }
}

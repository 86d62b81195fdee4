package io.bastion.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.backend.Broker;
import io.bastion.demo.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged zip, unpacked into a HiveMQ extensions folder as an operator would. */
class PackagedExtensionIT {

  @TempDir Path dir;

  @Test
  void extensionFromItsZipAnnouncesTheBroker() throws Exception {
    Path zip = Path.of(System.getProperty("extension.zip"));
    String id = System.getProperty("extension.id");
    assertThat(zip).exists();
    try (BastionWithRegistration bastion = new BastionWithRegistration()) {
      Path extensions = Files.createDirectories(dir.resolve("zipped").resolve("extensions"));
      unzip(zip, extensions);
      Path home = extensions.resolve(id);
      assertThat(home.resolve("hivemq-extension.xml")).exists();
      Properties p = bastion.extensionProperties("zipped");
      try (OutputStream out = Files.newOutputStream(home.resolve(ExtensionSettings.FILE_NAME))) {
        p.store(out, "test");
      }

      EmbeddedBroker broker = EmbeddedBroker.start("zipped", dir, 0);
      try {
        await().atMost(Duration.ofSeconds(1)).until(() -> {
          Broker b = bastion.broker("zipped");
          return b != null && b.available();
        });
        assertThat(bastion.broker("zipped").address().getPort()).isEqualTo(broker.port());

        Mqtt5BlockingClient client = EmbeddedExtensionIT.client(bastion.mqttPort(), "zip-client");
        client.connect();
        assertThat(broker.isConnected("zip-client")).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() ->
            bastion.broker("zipped").reported() != null
                && bastion.broker("zipped").reported().connections() == 1);
        client.disconnect();
      } finally {
        broker.stop();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> bastion.brokers().isEmpty());
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside the folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(z, target);
        }
      }
    }
  }

}

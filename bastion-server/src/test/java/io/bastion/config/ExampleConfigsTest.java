package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import io.bastion.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example shipped in docs/ must load cleanly, so the docs cannot drift from the code. */
class ExampleConfigsTest {

  private static final Path EXAMPLES = Path.of("../docs/examples");

  /** The certificate files the examples name, made fresh (a committed one would expire). */
  @TempDir static Path certFolder;

  @BeforeAll
  static void certificates() {
    Path certs = certFolder.resolve("certs");
    TestPki clients = TestPki.create(certs, "clients-ca");
    clients.server("server");
    TestPki brokers = TestPki.create(certs, "brokers-ca");
    brokers.client("bastion-client", "bastion");
  }

  @TestFactory
  Stream<DynamicTest> everyExampleLoadsWithoutErrors() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as("examples in " + EXAMPLES.toAbsolutePath()).isNotEmpty();
    // substitutions fall back to their defaults, as on a machine without the variables set
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertThatCode(() -> ConfigLoader.parse(Files.readString(file), file.toString(),
            name -> null, certFolder)).doesNotThrowAnyException()));
  }

  @Test
  void loadReadsAFile() throws Exception {
    BastionConfig c = ConfigLoader.load(EXAMPLES.resolve("bastion.yaml"));
    assertThat(c.listeners()).extracting(ListenerConfig::port).containsExactly(1883);
    assertThat(c.pools()).singleElement().satisfies(pool -> {
      assertThat(pool.strategy()).isEqualTo(Strategy.CLIENT_ID_HASH);
      assertThat(pool.brokers()).extracting(BrokerConfig::port).containsExactly(1884, 1885, 1886);
    });
  }
}

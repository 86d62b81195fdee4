package io.bastion.backend.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerFileSourceTest {

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<List<BrokerConfig>> answers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static String yaml(String... ids) {
    StringBuilder b = new StringBuilder("brokers:\n");
    for (String id : ids) {
      b.append("  - id: ").append(id).append("\n    host: 127.0.0.1\n    port: 1883\n");
    }
    return b.toString();
  }

  private List<String> lastIds() {
    return answers.isEmpty() ? List.of()
        : answers.get(answers.size() - 1).stream().map(BrokerConfig::id).toList();
  }

  @Test
  void editAtomicRenameAndMalformedFile() throws Exception {
    Path file = dir.resolve("brokers.yaml");
    Files.writeString(file, yaml("a"), StandardCharsets.UTF_8);
    try (BrokerFileSource source = new BrokerFileSource("p", file, scheduler)) {
      source.start(answers::add);
      await().atMost(Duration.ofSeconds(1)).until(() -> lastIds().equals(List.of("a")));

      Files.writeString(file, yaml("a", "b"), StandardCharsets.UTF_8);
      await().atMost(Duration.ofSeconds(1)).until(() -> lastIds().equals(List.of("a", "b")));

      Path tmp = dir.resolve(".brokers.yaml.tmp");
      Files.writeString(tmp, yaml("c"), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      await().atMost(Duration.ofSeconds(1)).until(() -> lastIds().equals(List.of("c")));

      int before = answers.size();
      Files.writeString(file, "brokers:\n  - host: 127.0.0.1\n    port: nope\n", StandardCharsets.UTF_8);
      await().atMost(Duration.ofSeconds(1)).until(() -> source.status().lastError() != null);
      assertThat(source.status().lastError()).contains("line 3").contains("port");
      assertThat(answers).hasSize(before);
      assertThat(source.status().brokers()).isEqualTo(1);
    }
  }

  @Test
  void symlinkSwapAsKubernetesDoes() throws Exception {
    // ConfigMap layout: brokers.json -> ..data/brokers.json, ..data -> ..2024_1 (swapped)
    Path v1 = Files.createDirectories(dir.resolve("..v1"));
    Path v2 = Files.createDirectories(dir.resolve("..v2"));
    Files.writeString(v1.resolve("brokers.json"),
        "{\"brokers\": [{\"id\": \"x\", \"host\": \"127.0.0.1\", \"port\": 1883}]}");
    Files.writeString(v2.resolve("brokers.json"),
        "{\"brokers\": [{\"id\": \"y\", \"host\": \"127.0.0.1\", \"port\": 1884}]}");
    Path data = dir.resolve("..data");
    Files.createSymbolicLink(data, v1.getFileName());
    Path file = dir.resolve("brokers.json");
    Files.createSymbolicLink(file, Path.of("..data", "brokers.json"));
    try (BrokerFileSource source = new BrokerFileSource("p", file, scheduler)) {
      source.start(answers::add);
      await().atMost(Duration.ofSeconds(1)).until(() -> lastIds().equals(List.of("x")));

      Path next = dir.resolve("..data_tmp");
      Files.createSymbolicLink(next, v2.getFileName());
      Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      await().atMost(Duration.ofSeconds(1)).until(() -> lastIds().equals(List.of("y")));
    }
  }
}

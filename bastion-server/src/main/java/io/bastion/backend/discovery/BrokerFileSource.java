package io.bastion.backend.discovery;

import io.bastion.backend.BrokerSource;
import io.bastion.config.BrokerConfig;
import io.bastion.config.BrokerListParser;
import io.bastion.config.ConfigError;
import io.bastion.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a YAML or JSON file of brokers. The parent directory is watched, not the file, so an
 * atomic rename and a symlink swap (how Kubernetes updates a mounted ConfigMap) are seen; a poll
 * of the file's content catches what the watch service misses (network file systems, macOS). A
 * file that cannot be read or parsed is reported and the last good list stays.
 */
final class BrokerFileSource implements DiscoverySource {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerFileSource.class);
  static final long POLL_MILLIS = 250;

  private final Path file;
  private final SourceStatus status;
  private final ScheduledExecutorService scheduler;
  private Consumer<List<BrokerConfig>> sink;
  private String lastText;
  private String lastError;
  private WatchService watcher;
  private Thread watchThread;
  private ScheduledFuture<?> poll;

  BrokerFileSource(String pool, Path file, ScheduledExecutorService scheduler) {
    this.file = file.toAbsolutePath();
    this.status = new SourceStatus(pool, BrokerSource.FILE);
    this.scheduler = scheduler;
  }

  @Override
  public BrokerSource kind() {
    return BrokerSource.FILE;
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  @Override
  public synchronized void start(Consumer<List<BrokerConfig>> sink) {
    this.sink = sink;
    poll = scheduler.scheduleWithFixedDelay(this::check, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    try {
      watcher = file.getFileSystem().newWatchService();
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
      watchThread = new Thread(this::watch, "bastion-discovery-file-" + status.pool());
      watchThread.setDaemon(true);
      watchThread.start();
    } catch (IOException | RuntimeException e) {
      LOG.info("cannot watch {} ({}); polling it every {} ms", file.getParent(), e.toString(),
          POLL_MILLIS);
    }
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents();
        key.reset();
        scheduler.execute(this::check);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /** Reads the file and applies it when its content changed. Runs on the discovery thread. */
  private void check() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      refuse("cannot read " + file + ": " + e);
      return;
    }
    if (text.equals(lastText)) {
      return;
    }
    lastText = text;
    List<BrokerConfig> brokers;
    try {
      brokers = BrokerListParser.parse(text, file.toString());
    } catch (ConfigException e) {
      refuse(file + ": " + e.errors().stream().map(ConfigError::toString)
          .collect(Collectors.joining("; ")) + "; keeping the last good list");
      return;
    }
    lastError = null;
    status.succeeded(brokers.size());
    LOG.info("file discovery (pool {}): {} lists {} broker(s)", status.pool(), file, brokers.size());
    sink.accept(brokers);
  }

  /** Counts and logs a problem once, not on every poll. */
  private void refuse(String why) {
    if (!why.equals(lastError)) {
      lastError = why;
      status.failed(why);
      LOG.warn("file discovery (pool {}): {}", status.pool(), why);
    }
  }

  @Override
  public synchronized void close() {
    if (poll != null) {
      poll.cancel(false);
    }
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service of {}", file, e);
      }
    }
  }
}

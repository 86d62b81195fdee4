package io.bastion;

import io.bastion.admin.NodeControl;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration on SIGHUP and when the file changes. The file's parent folder is
 * watched (editors and Kubernetes ConfigMaps replace files rather than write them), with a
 * modification-time poll as a fallback where watching is not supported; bursts of events are
 * folded into one reload.
 */
final class ReloadTriggers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadTriggers.class);
  private static final long SETTLE_MILLIS = 300;
  private static final long POLL_MILLIS = 2000;

  private final Supplier<NodeControl> node;
  private final Path file;
  private final ScheduledExecutorService executor;
  private WatchService watcher;
  private ScheduledFuture<?> pending;
  private FileTime lastModified;

  /**
   * @param node the running node, or null while it is still starting (a reload request then is
   *     ignored: the file is read at start anyway)
   */
  ReloadTriggers(Supplier<NodeControl> node, Path file) {
    this.node = node;
    this.file = file.toAbsolutePath();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bastion-reload");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    try {
      Signal.handle(new Signal("HUP"), s -> {
        LOG.info("SIGHUP: reloading {}", file);
        executor.execute(this::reload);
      });
    } catch (IllegalArgumentException e) {
      LOG.info("SIGHUP is not available here; reload through the admin API or by editing the file");
    }
    lastModified = modified();
    try {
      watcher = FileSystems.getDefault().newWatchService();
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
      Thread t = new Thread(this::watch, "bastion-config-watch");
      t.setDaemon(true);
      t.start();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("cannot watch {} ({}); polling it every {} ms", file.getParent(), e.getMessage(), POLL_MILLIS);
    }
    // the poll also catches changes a watch misses (network file systems, symlink swaps)
    executor.scheduleWithFixedDelay(this::pollModified, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents();
        key.reset();
        schedule();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  private void pollModified() {
    FileTime now = modified();
    if (now != null && !now.equals(lastModified)) {
      schedule();
    }
  }

  private synchronized void schedule() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::reloadIfChanged, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void reloadIfChanged() {
    FileTime now = modified();
    if (now == null || now.equals(lastModified)) {
      return;
    }
    reload();
  }

  private void reload() {
    lastModified = modified();
    NodeControl current = node.get();
    if (current == null) {
      LOG.info("not started yet; the configuration is read at start");
      return;
    }
    try {
      current.reload();
    } catch (NodeControl.ReloadException e) {
      LOG.warn("reload of {} refused, nothing changed: {}", file, e.getMessage());
      e.errors().forEach(err -> LOG.warn("  {}", err));
    } catch (RuntimeException e) {
      LOG.error("reload of {} failed", file, e);
    }
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}

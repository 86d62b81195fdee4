package io.bastion;

import io.bastion.config.BastionConfig;
import io.bastion.config.ConfigError;
import io.bastion.config.ConfigException;
import io.bastion.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import io.bastion.admin.NodeControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs Bastion until SIGTERM or Ctrl-C, then drains gracefully. */
@Command(name = "run", description = "Run Bastion with a configuration file.")
final class RunCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "the YAML configuration file")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    BastionConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(configFile + ": " + error);
      }
      return 1;
    } catch (IOException e) {
      System.err.println(configFile + ": cannot read: " + e.getMessage());
      return 1;
    }
    // SIGHUP's default action ends the JVM: take it over before anything can send it
    AtomicReference<NodeControl> node = new AtomicReference<>();
    ReloadTriggers reloads = new ReloadTriggers(node::get, configFile);
    reloads.start();
    Bastion bastion = Bastion.start(config, configFile);
    node.set(bastion);
    awaitShutdown(() -> {
      reloads.close();
      bastion.shutdown(bastion.config().shutdown().drainDeadline());
    });
    return 0;
  }

  /** Blocks until the JVM is asked to stop (SIGTERM, SIGINT), running {@code stop} first. */
  static void awaitShutdown(Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.run();
                  } finally {
                    stopped.countDown();
                  }
                },
                "bastion-shutdown"));
    stopped.await();
  }
}

package io.bastion.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** {@code java -jar bastion.jar} as a separate process, as an operator would run it. */
public final class BastionProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private BastionProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Path jar() {
    String jar = System.getProperty("bastion.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("bastion.jar not built: run the tests with mvn verify (bastion.jar=" + jar + ")");
    }
    return Path.of(jar);
  }

  /** Runs {@code bastion <args>} to completion and returns exit code and output. */
  public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("bastion-cli", ".log");
    List<String> command = new java.util.ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bastion " + String.join(" ", args) + " did not finish in " + timeout);
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    return new Result(p.exitValue(), output);
  }

  public record Result(int exitCode, String output) {}

  /** Starts {@code bastion run} with the configuration made for a free port. */
  public static BastionProcess start(IntFunction<String> configForPort) throws IOException {
    int port = Ports.freePort();
    Path config = Files.createTempFile("bastion", ".yaml");
    Files.writeString(config, configForPort.apply(port), StandardCharsets.UTF_8);
    return start(config, port);
  }

  /** Starts {@code bastion run --config file}, whose MQTT listener is on {@code port}. */
  public static BastionProcess start(Path config, int port) throws IOException {
    Path log = Files.createTempFile("bastion", ".log");
    Process p = new ProcessBuilder(javaBinary(), "-jar", jar().toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    BastionProcess bp = new BastionProcess(p, port, log);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!p.isAlive()) {
          throw new AssertionError("bastion exited: " + bp.output());
        }
        return bp.accepts() && bp.output().contains("started:");
      });
    } catch (RuntimeException | AssertionError e) {
      bp.close();
      throw e;
    }
    return bp;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private boolean accepts() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGTERM, as an orchestrator stops it. */
  public void terminate() {
    process.destroy();
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }
}

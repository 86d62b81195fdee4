package io.bastion.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code java -jar bastion.jar} as a separate process, as an operator would run it. Besides start
 * and stop it can fail the way processes fail: {@link #kill()} (SIGKILL), {@link #pause()} and
 * {@link #resume()} (SIGSTOP, SIGCONT). A process that the test forgets or cannot stop (a failed
 * assertion, a failsafe timeout) is killed when the test JVM exits.
 */
public final class BastionProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Process process;
  private final Launch launch;
  private final Path log;
  private final boolean keepLog;
  private final Thread killOnExit;
  private volatile boolean paused;

  private BastionProcess(Process process, Launch launch, Path log, boolean keepLog) {
    this.process = process;
    this.launch = launch;
    this.log = log;
    this.keepLog = keepLog;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-bastion-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * How to start a node: its configuration file, the MQTT listener it serves, the admin address whose
   * {@code /health/ready} tells when it is ready (null: wait for the listener and the start log line
   * instead), options for the JVM, and the file its output is appended to and kept in (null: a
   * temporary file, deleted on close).
   */
  public record Launch(Path config, InetSocketAddress mqtt, InetSocketAddress admin, List<String> jvmOptions,
      Path log) {

    public Launch {
      jvmOptions = List.copyOf(jvmOptions);
    }
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
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
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

  /** Starts {@code bastion run --config file}, whose MQTT listener is on 127.0.0.1:{@code port}. */
  public static BastionProcess start(Path config, int port) throws IOException {
    BastionProcess bp = launch(new Launch(config, new InetSocketAddress("127.0.0.1", port), null, List.of(), null));
    bp.awaitReadyOrClose(Duration.ofSeconds(30));
    return bp;
  }

  /** Starts the process and returns at once; {@link #awaitReady} waits for it to serve. */
  public static BastionProcess launch(Launch launch) throws IOException {
    boolean keep = launch.log() != null;
    Path log = keep ? launch.log() : Files.createTempFile("bastion", ".log");
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(launch.jvmOptions());
    command.addAll(List.of("-jar", jar().toString(), "run", "--config", launch.config().toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new BastionProcess(p, launch, log, keep);
  }

  /** Waits until the node serves; closes it and rethrows when it does not in time. */
  public BastionProcess awaitReadyOrClose(Duration timeout) throws IOException {
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("bastion exited: " + output());
        }
        return launch.admin() == null ? accepts() && output().contains("started:") : ready();
      });
    } catch (RuntimeException | AssertionError e) {
      close();
      throw e;
    }
    return this;
  }

  /** A new process with the same configuration, addresses and JVM options; this one must be gone. */
  public BastionProcess restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("bastion " + pid() + " still runs");
    }
    return launch(launch);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private boolean accepts() {
    try (Socket s = new Socket(launch.mqtt().getAddress(), launch.mqtt().getPort())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when {@code /health/ready} on the admin address answers 200. */
  public boolean ready() {
    if (launch.admin() == null) {
      throw new IllegalStateException("started without an admin address");
    }
    try {
      return HTTP.send(HttpRequest.newBuilder(adminUri("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A request to the admin API; {@code body} may be null. */
  public HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(adminUri(path)).timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Members this node sees in its cluster, itself included; 0 when it cannot answer. */
  public int clusterMembers() {
    try {
      HttpResponse<String> r = admin("GET", "/api/cluster", null);
      return r.statusCode() == 200 ? JSON.readTree(r.body()).path("members").size() : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  public URI adminUri(String path) {
    return URI.create("http://" + launch.admin().getHostString() + ":" + launch.admin().getPort() + path);
  }

  public int port() {
    return launch.mqtt().getPort();
  }

  public InetSocketAddress mqttAddress() {
    return launch.mqtt();
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public boolean isPaused() {
    return paused;
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGTERM, as an orchestrator stops it. */
  public void terminate() {
    process.destroy();
  }

  /** SIGTERM, then waits up to {@code timeout} for the graceful shutdown to finish. */
  public void terminateAndWait(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("bastion " + pid() + " did not stop within " + timeout);
    }
  }

  /** SIGKILL, as a crash or the OOM killer ends it: nothing runs any more, sockets close. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("bastion " + pid() + " survived SIGKILL");
    }
  }

  /** SIGSTOP: the process hangs with its sockets open, like a node stuck in a long GC pause. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (paused && process.isAlive()) {
        // a stopped process keeps SIGTERM pending until it runs again
        resume();
      }
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      if (!keepLog) {
        Files.deleteIfExists(log);
      }
    }
  }
}

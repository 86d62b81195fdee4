package io.bastion.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Mosquitto broker process (Debian's {@code /usr/sbin/mosquitto}) listening on 127.0.0.1 with
 * anonymous access and no persistence, configured by a file in its own temporary folder.
 *
 * <p>A missing binary is an error, never a skip: tests that need it run in the {@code interop} profile,
 * whose environment installs {@code mosquitto} and {@code mosquitto-clients}. The system property
 * {@code mosquitto.binary} overrides the path.
 */
public final class Mosquitto implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final String DEFAULT_BINARY = "/usr/sbin/mosquitto";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private Mosquitto(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    public static String binary() {
        return System.getProperty("mosquitto.binary", DEFAULT_BINARY);
    }

    /** Starts Mosquitto on a free port and waits until it accepts TCP connections. */
    public static Mosquitto start() {
        return start("");
    }

    /**
     * Starts Mosquitto on a free port with {@code extraConfig} appended to its configuration (lines in
     * mosquitto.conf syntax) and waits until the listener accepts TCP connections.
     */
    public static Mosquitto start(String extraConfig) {
        Path binary = Path.of(binary());
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("mosquitto is not installed: " + binary + " is missing or not executable"
                    + " (install it with: apt-get install -y mosquitto mosquitto-clients)");
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(binary, Ports.freePort(), extraConfig);
            } catch (PortLostException e) {
                // someone took the free port between our check and mosquitto's bind: try another one
                last = e;
            }
        }
        throw last;
    }

    private static Mosquitto startOnce(Path binary, int port, String extraConfig) {
        Path dir;
        try {
            dir = Files.createTempDirectory("mosquitto-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path conf = dir.resolve("mosquitto.conf");
        Path log = dir.resolve("mosquitto.log");
        String config = "listener " + port + " " + HOST + "\n"
                + "allow_anonymous true\n"
                + "persistence false\n"
                + "log_dest stderr\n"
                + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type subscribe\n"
                + (extraConfig == null || extraConfig.isEmpty() ? "" : extraConfig + "\n");
        Process process;
        try {
            Files.writeString(conf, config, StandardCharsets.UTF_8);
            process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(dir);
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        try {
            Awaitility.await("mosquitto listening on " + HOST + ":" + port)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            return true;
                        }
                        return accepts(port);
                    });
        } catch (ConditionTimeoutException e) {
            String output = read(log);
            destroy(process);
            deleteRecursively(dir);
            throw new IllegalStateException("mosquitto did not listen on " + HOST + ":" + port + " within "
                    + START_TIMEOUT + "; its output:\n" + output, e);
        }
        if (!process.isAlive()) {
            String output = read(log);
            deleteRecursively(dir);
            if (output.contains("Address already in use")) {
                throw new PortLostException(port, output);
            }
            throw new IllegalStateException("mosquitto exited with code " + process.exitValue()
                    + " on start; its output:\n" + output);
        }
        return new Mosquitto(process, port, dir, log);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** What the broker logged so far. */
    public String output() {
        return read(log);
    }

    /**
     * Waits until the broker logged that {@code clientId} subscribed to {@code topicFilter} (any QoS):
     * from then on a message published to it reaches that client. Mosquitto logs to an unbuffered
     * stderr, unlike the clients' buffered stdout, so this is the reliable signal.
     */
    public void awaitSubscribed(String clientId, String topicFilter, Duration timeout) {
        Pattern line = Pattern.compile("^\\d+: " + Pattern.quote(clientId) + " \\d " + Pattern.quote(topicFilter) + "$",
                Pattern.MULTILINE);
        Awaitility.await(clientId + " subscribed to " + topicFilter + " on " + this)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> line.matcher(output()).find() || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited with code " + process.exitValue() + "; its output:\n" + output());
        }
    }

    /** Terminates the process (SIGTERM, then SIGKILL if it lingers), waits for it and removes its folder. */
    public void stop() {
        destroy(process);
        deleteRecursively(dir);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Mosquitto[" + HOST + ":" + port + " pid " + process.pid() + "]";
    }

    private static void destroy(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static final class PortLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortLostException(int port, String output) {
            super("port " + port + " was taken before mosquitto could bind it; its output:\n" + output);
        }
    }
}

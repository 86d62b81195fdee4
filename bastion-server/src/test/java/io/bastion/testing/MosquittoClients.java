package io.bastion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (package {@code mosquitto-clients}) with
 * a time limit and returns their exit code and output. A missing tool is an error, never a skip.
 *
 * <p>Output goes to files, so a running command can be watched (for example until {@code mosquitto_sub -d}
 * printed its SUBACK) without any pipe filling up.
 */
public final class MosquittoClients {

    public static final String PUB = "/usr/bin/mosquitto_pub";
    public static final String SUB = "/usr/bin/mosquitto_sub";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private MosquittoClients() {
    }

    /** Outcome of a finished (or killed) command. {@code exitCode} is -1 when it was killed at its timeout. */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** A command that is still running. */
    public static final class Running implements AutoCloseable {

        private final List<String> command;
        private final Process process;
        private final Path dir;
        private final Path out;
        private final Path err;

        private Running(List<String> command, Process process, Path dir, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.dir = dir;
            this.out = out;
            this.err = err;
        }

        public List<String> command() {
            return command;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Standard output so far. */
        public String stdout() {
            return Mosquitto.read(out);
        }

        /** Standard error so far. */
        public String stderr() {
            return Mosquitto.read(err);
        }

        /** Waits for the command to end, killing it after {@code timeout}. */
        public Result await(Duration timeout) {
            boolean timedOut = false;
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + command, e);
            }
            Result result = new Result(timedOut || process.isAlive() ? -1 : process.exitValue(),
                    stdout(), stderr(), timedOut);
            Mosquitto.deleteRecursively(dir);
            return result;
        }

        /** Kills the command if it still runs and removes its output files. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Mosquitto.deleteRecursively(dir);
        }
    }

    /** Starts {@code mosquitto_pub} with {@code -h 127.0.0.1 -p port} and {@code args}. */
    public static Running startPub(int port, String... args) {
        return start(PUB, port, args);
    }

    /** Starts {@code mosquitto_sub} with {@code -h 127.0.0.1 -p port} and {@code args}. */
    public static Running startSub(int port, String... args) {
        return start(SUB, port, args);
    }

    /** Runs {@code mosquitto_pub -h 127.0.0.1 -p port args...} to its end (at most {@link #DEFAULT_TIMEOUT}). */
    public static Result pub(int port, String... args) {
        return startPub(port, args).await(DEFAULT_TIMEOUT);
    }

    /** Runs {@code mosquitto_sub -h 127.0.0.1 -p port args...} to its end (at most {@link #DEFAULT_TIMEOUT}); bound it with {@code -C n -W s}. */
    public static Result sub(int port, String... args) {
        return startSub(port, args).await(DEFAULT_TIMEOUT);
    }

    /** Publishes one message: {@code mosquitto_pub -t topic -m message -q qos}. */
    public static Result publish(int port, String topic, String message, int qos) {
        return pub(port, "-t", topic, "-m", message, "-q", Integer.toString(qos));
    }

    private static Running start(String tool, int port, String... args) {
        if (!Files.isExecutable(Path.of(tool))) {
            throw new IllegalStateException(tool + " is not installed"
                    + " (install it with: apt-get install -y mosquitto-clients)");
        }
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.add("-h");
        command.add(Mosquitto.HOST);
        command.add("-p");
        command.add(Integer.toString(port));
        command.addAll(List.of(args));
        try {
            Path dir = Files.createTempDirectory("mosquitto-client-");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new Running(List.copyOf(command), process, dir, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }
}

package io.bastion.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A group of embedded brokers named {@code broker-1 .. broker-N}, started one after the other (HiveMQ's
 * static services require it) and stopped all at once.
 *
 * <p>{@link #restart(int)} replaces a member by its restarted successor, so {@link #get(int)} and
 * {@link #list()} always show the current instances.
 */
public final class EmbeddedBrokers implements AutoCloseable {

    private static final long STOP_ALL_TIMEOUT_SECONDS = 60;

    private final Path baseDir;
    private final List<EmbeddedBroker> brokers;

    private EmbeddedBrokers(Path baseDir, List<EmbeddedBroker> brokers) {
        this.baseDir = baseDir;
        this.brokers = brokers;
    }

    /** Starts {@code count} brokers on free ports. */
    public static EmbeddedBrokers start(int count, Path baseDir) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        return start(baseDir, new int[count]);
    }

    /** Starts one broker per port given ({@code 0}: a free port); broker {@code i+1} gets {@code ports[i]}. */
    public static EmbeddedBrokers start(Path baseDir, int... ports) {
        if (ports.length == 0) {
            throw new IllegalArgumentException("at least one broker is needed");
        }
        List<EmbeddedBroker> started = new ArrayList<>(ports.length);
        try {
            for (int i = 0; i < ports.length; i++) {
                started.add(EmbeddedBroker.start(name(i + 1), baseDir, ports[i]));
            }
        } catch (RuntimeException e) {
            try {
                stopAll(started);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new EmbeddedBrokers(baseDir, started);
    }

    /** {@code broker-<number>}, numbers start at 1. */
    public static String name(int number) {
        return "broker-" + number;
    }

    public Path baseDir() {
        return baseDir;
    }

    public int size() {
        synchronized (brokers) {
            return brokers.size();
        }
    }

    /** The current instance of broker {@code broker-<number>} (1-based). */
    public EmbeddedBroker get(int number) {
        synchronized (brokers) {
            return brokers.get(number - 1);
        }
    }

    /** Snapshot of the current instances, in order. */
    public List<EmbeddedBroker> list() {
        synchronized (brokers) {
            return Collections.unmodifiableList(new ArrayList<>(brokers));
        }
    }

    /** Ports of the current instances, in order. */
    public int[] ports() {
        return list().stream().mapToInt(EmbeddedBroker::port).toArray();
    }

    /** Restarts broker {@code broker-<number>} on its port (stopping it first if needed) and returns the new instance. */
    public EmbeddedBroker restart(int number) {
        EmbeddedBroker fresh = get(number).restart();
        synchronized (brokers) {
            brokers.set(number - 1, fresh);
        }
        return fresh;
    }

    /** Stops every broker concurrently, then waits for all of them. */
    public void stopAll() {
        stopAll(list());
    }

    private static void stopAll(List<EmbeddedBroker> brokers) {
        CompletableFuture<?>[] stops = brokers.stream()
                .map(EmbeddedBroker::stopAsync)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stops).get(STOP_ALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping brokers", e);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException("a broker did not stop cleanly", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("brokers did not stop within " + STOP_ALL_TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        stopAll();
    }

    @Override
    public String toString() {
        return "EmbeddedBrokers" + list();
    }
}

package io.bastion.demo;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.AdminService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real MQTT broker (HiveMQ Community Edition, embedded) running inside this JVM, listening on
 * 127.0.0.1 only. Used by {@code bastion demo} and by integration tests.
 *
 * <p>Each broker owns the folders {@code <baseDir>/<name>/conf}, {@code data} and {@code extensions};
 * its {@code config.xml} has one TCP listener and in-memory persistence. Several brokers can run in one
 * JVM as long as each has its own name (folder).
 *
 * <p><b>Stopping is slow.</b> HiveMQ refuses new connections and drops its clients within milliseconds,
 * but its shutdown completes only after Netty's graceful shutdown, 2–4 s later. {@link #stop()} blocks
 * for all of that; to stop several brokers, call {@link #stopAsync()} on each and then join the futures
 * (or use {@link EmbeddedBrokers#stopAll()}).
 *
 * <p><b>A broker cannot be restarted in place</b> (HiveMQ refuses a second start of one instance).
 * {@link #restart()} builds a new instance on the same folders and the same port and returns it.
 *
 * <p>Sessions are followed through HiveMQ's client lifecycle events: {@link #connectedClientIds()},
 * {@link #connectedCount()}, {@link #connectCount(String)}. The counters live with this instance; a
 * restarted broker starts from zero.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    public static final String HOST = "127.0.0.1";
    /** HiveMQ's own default. */
    public static final long DEFAULT_MAX_QUEUED_MESSAGES = 1000;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * HiveMQ's {@link Services} is a static registry in which the broker started last wins. Starts are
     * serialized so that what our extension captures during its start belongs to its own broker.
     * This lock is the only static state here; it holds no data.
     */
    private static final Object START_LOCK = new Object();

    private final String name;
    private final Path baseDir;
    private final Path dir;
    private final int port;
    private final EmbeddedHiveMQ hivemq;
    private final SessionTracker sessions;
    private final long maxQueuedMessages;
    private final AtomicReference<CompletableFuture<Void>> stopping = new AtomicReference<>();

    private EmbeddedBroker(String name, Path baseDir, Path dir, int port, EmbeddedHiveMQ hivemq,
                           SessionTracker sessions, long maxQueuedMessages) {
        this.maxQueuedMessages = maxQueuedMessages;
        this.name = name;
        this.baseDir = baseDir;
        this.dir = dir;
        this.port = port;
        this.hivemq = hivemq;
        this.sessions = sessions;
    }

    /**
     * Starts a broker named {@code name} in {@code baseDir/name}, listening on 127.0.0.1:{@code port}
     * ({@code 0}: a free port, see {@link #port()}). Blocks until the broker accepts connections.
     *
     * @throws IllegalStateException if the broker does not start (for example the port is taken)
     */
    public static EmbeddedBroker start(String name, Path baseDir, int port) {
        return start(name, baseDir, port, "");
    }

    /**
     * As {@link #start(String, Path, int)}, with more listeners (HiveMQ {@code config.xml}
     * elements, such as a {@code <tls-tcp-listener>} on a fixed port) beside the TCP one.
     */
    public static EmbeddedBroker start(String name, Path baseDir, int port, String moreListenersXml) {
        return start(name, baseDir, port, moreListenersXml, DEFAULT_MAX_QUEUED_MESSAGES);
    }

    /**
     * As {@link #start(String, Path, int, String)}, with room for {@code maxQueuedMessages} messages
     * per client waiting for delivery (HiveMQ's default is 1000; beyond it the broker drops messages,
     * see {@link #droppedMessages()}). Subscribers that count every message of a heavy load need more.
     */
    public static EmbeddedBroker start(String name, Path baseDir, int port, String moreListenersXml,
                                       long maxQueuedMessages) {
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be at least 1, got " + maxQueuedMessages);
        }
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("broker name must be a plain folder name ([A-Za-z0-9._-]), got: " + name);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path dir = base.resolve(name);
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        Path extensions = dir.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(port, moreListenersXml, maxQueuedMessages),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare folders of broker " + name + " in " + dir, e);
        }

        SessionTracker sessions = new SessionTracker();
        CompletableFuture<AdminService> admin = new CompletableFuture<>();
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("bastion-embedded-" + name)
                .withName("Bastion embedded broker " + name)
                .withVersion("1")
                .withAuthor("Bastion")
                .withPriority(0)
                .withStartPriority(1000)
                .withExtensionMain(new BrokerExtension(sessions, admin))
                .build();

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();

        long t0 = System.nanoTime();
        int boundPort;
        synchronized (START_LOCK) {
            try {
                hivemq.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                AdminService adminService = admin.getNow(null);
                if (adminService == null) {
                    throw new IllegalStateException("the broker's extension did not start");
                }
                boundPort = boundPort(adminService.getServerInformation(), data);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(hivemq, name);
                throw new IllegalStateException("interrupted while starting broker " + name, e);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                closeQuietly(hivemq, name);
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("broker " + name + " did not start on " + HOST + ":" + port
                        + (port == 0 ? "" : " (is the port in use?)") + ": " + cause, cause);
            }
        }
        LOG.info("broker {} listening on {}:{} (started in {} ms)", name, HOST, boundPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return new EmbeddedBroker(name, base, dir, boundPort, hivemq, sessions, maxQueuedMessages);
    }

    private static int boundPort(ServerInformation info, Path data) {
        Path reported = info.getDataFolder().toPath().toAbsolutePath().normalize();
        if (!reported.equals(data.toAbsolutePath().normalize())) {
            throw new IllegalStateException("captured the services of another broker (data folder " + reported
                    + "); brokers must not be started concurrently by other code");
        }
        Set<Listener> listeners = info.getListener();
        return listeners.stream()
                .filter(l -> l.getListenerType() == ListenerType.TCP_LISTENER)
                .mapToInt(Listener::getPort)
                .filter(p -> p > 0)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no TCP listener is bound (listeners: " + listeners + ")"));
    }

    static String configXml(int port) {
        return configXml(port, "");
    }

    static String configXml(int port, String moreListenersXml) {
        return configXml(port, moreListenersXml, DEFAULT_MAX_QUEUED_MESSAGES);
    }

    static String configXml(int port, String moreListenersXml, long maxQueuedMessages) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                        %s
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST, moreListenersXml, maxQueuedMessages);
    }

    /** The broker's name, also its folder under the base directory. */
    public String name() {
        return name;
    }

    /** Always 127.0.0.1. */
    public String host() {
        return HOST;
    }

    /** The port the broker is bound to (the real one when started with port 0). */
    public int port() {
        return port;
    }

    /** {@code baseDir/name}: holds conf, data and extensions. */
    public Path directory() {
        return dir;
    }

    /** True until {@link #stop()} or {@link #stopAsync()} was called. */
    public boolean isRunning() {
        return stopping.get() == null;
    }

    /** Client ids of the currently connected clients (a snapshot). */
    public Set<String> connectedClientIds() {
        return sessions.connectedClientIds();
    }

    public boolean isConnected(String clientId) {
        return sessions.isConnected(clientId);
    }

    /** Number of distinct client ids currently connected. */
    public int connectedCount() {
        return sessions.connectedCount();
    }

    /** How many times {@code clientId} successfully connected to this broker instance. */
    public long connectCount(String clientId) {
        return sessions.connectCount(clientId);
    }

    /** How many successful connects this broker instance accepted, all clients together. */
    public long totalConnects() {
        return sessions.totalConnects();
    }

    /**
     * Messages this broker instance dropped instead of delivering, for instance because a
     * subscriber's queue was full (HiveMQ's {@code com.hivemq.messages.dropped.count}).
     */
    public long droppedMessages() {
        return hivemq.getMetricRegistry().counter("com.hivemq.messages.dropped.count").getCount();
    }

    /**
     * Begins to stop the broker: it refuses connections and drops its clients right away; the future
     * completes once it has fully shut down and released its resources (2–4 s later). Idempotent.
     */
    public CompletableFuture<Void> stopAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!stopping.compareAndSet(null, done)) {
            return stopping.get();
        }
        Thread stopper = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                hivemq.close();
                sessions.clearLive();
                LOG.info("broker {} on port {} stopped in {} ms", name, port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                done.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            } catch (Throwable e) {
                LOG.warn("broker {} did not stop cleanly: {}", name, e.toString());
                done.completeExceptionally(e);
            }
        }, "stop-broker-" + name);
        stopper.setDaemon(true);
        stopper.start();
        return done;
    }

    /** Stops the broker and waits until it is fully down (2–4 s). Idempotent. */
    public void stop() {
        try {
            stopAsync().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping broker " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker " + name + " did not stop cleanly", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker " + name + " did not stop within " + STOP_TIMEOUT, e);
        }
    }

    /**
     * Stops this broker if it still runs, then starts a new one with the same name, folders and port
     * and returns it. This instance stays stopped.
     */
    public EmbeddedBroker restart() {
        stop();
        return start(name, baseDir, port, "", maxQueuedMessages);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + name + " " + HOST + ":" + port + (isRunning() ? "" : " stopped") + "]";
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq, String name) {
        try {
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("broker {} did not close after a failed start: {}", name, e.toString());
        }
    }

    /**
     * Captures this broker's services while they are its own (inside {@code extensionStart}), lets every
     * client in, and registers the session tracker.
     */
    private static final class BrokerExtension implements ExtensionMain {

        private final SessionTracker sessions;
        private final CompletableFuture<AdminService> admin;

        BrokerExtension(SessionTracker sessions, CompletableFuture<AdminService> admin) {
            this.sessions = sessions;
            this.admin = admin;
        }

        @Override
        public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
            AdminService adminService = Services.adminService();
            Services.securityRegistry().setAuthenticatorProvider(
                    providerInput -> (SimpleAuthenticator) (authIn, authOut) -> authOut.authenticateSuccessfully());
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> sessions);
            admin.complete(adminService);
        }

        @Override
        public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
            // nothing to release
        }
    }
}

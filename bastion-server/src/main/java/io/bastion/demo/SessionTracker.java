package io.bastion.demo;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the MQTT sessions of one embedded broker through HiveMQ's client lifecycle events.
 *
 * <p>A connection counts from its successful authentication until its disconnect (of any kind). Each
 * counted connection is marked in its own connection attribute store, so that a disconnect is only
 * subtracted for a connection that was added, exactly once. Several connections may share a client id
 * for a moment (session takeover: the new connection is accepted before the old one's disconnect event
 * arrives), so live connections are counted per client id.
 */
final class SessionTracker implements ClientLifecycleEventListener {

    private static final String COUNTED = "io.bastion.demo.counted";

    private final Map<String, Integer> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> connects = new ConcurrentHashMap<>();
    private final AtomicLong totalConnects = new AtomicLong();

    @Override
    public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
        // counted once authenticated
    }

    @Override
    public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(COUNTED, "1");
        live.merge(clientId, 1, Integer::sum);
        connects.computeIfAbsent(clientId, id -> new AtomicLong()).incrementAndGet();
        totalConnects.incrementAndGet();
    }

    @Override
    public void onAuthenticationFailedDisconnect(@NotNull AuthenticationFailedInput input) {
        // never counted
    }

    @Override
    public void onDisconnect(@NotNull DisconnectEventInput input) {
        ConnectionAttributeStore store = input.getConnectionInformation().getConnectionAttributeStore();
        if (store.remove(COUNTED).isPresent()) {
            live.computeIfPresent(input.getClientInformation().getClientId(), (id, n) -> n > 1 ? n - 1 : null);
        }
    }

    Set<String> connectedClientIds() {
        return Set.copyOf(live.keySet());
    }

    boolean isConnected(String clientId) {
        return live.containsKey(clientId);
    }

    int connectedCount() {
        return live.size();
    }

    long connectCount(String clientId) {
        AtomicLong count = connects.get(clientId);
        return count == null ? 0 : count.get();
    }

    long totalConnects() {
        return totalConnects.get();
    }

    /** The broker stopped: whatever was connected is gone, and no event may tell us so. */
    void clearLive() {
        live.clear();
    }
}

package io.bastion.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

/**
 * Blocking HiveMQ MQTT clients bound to 127.0.0.1, not connected yet (call {@code connect()} or
 * {@code connectWith()...send()}).
 */
public final class MqttClients {

    public static final String HOST = "127.0.0.1";

    private MqttClients() {
    }

    public static Mqtt5BlockingClient mqtt5(int port, String clientId) {
        return MqttClient.builder()
                .identifier(clientId)
                .serverHost(HOST)
                .serverPort(port)
                .useMqttVersion5()
                .buildBlocking();
    }

    public static Mqtt3BlockingClient mqtt3(int port, String clientId) {
        return MqttClient.builder()
                .identifier(clientId)
                .serverHost(HOST)
                .serverPort(port)
                .useMqttVersion3()
                .buildBlocking();
    }

    /** Disconnects if connected; for cleanup in {@code finally} blocks. */
    public static void disconnectQuietly(Mqtt5BlockingClient client) {
        if (client != null && client.getState().isConnected()) {
            try {
                client.disconnect();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    /** Disconnects if connected; for cleanup in {@code finally} blocks. */
    public static void disconnectQuietly(Mqtt3BlockingClient client) {
        if (client != null && client.getState().isConnected()) {
            try {
                client.disconnect();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}

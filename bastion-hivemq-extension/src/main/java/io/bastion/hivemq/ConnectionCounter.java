package io.bastion.hivemq;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts this broker's MQTT connections from lifecycle events (the Community Edition has no
 * cluster-wide client counts). Every connection start is matched by one disconnect event, whatever
 * ended it.
 */
final class ConnectionCounter implements ClientLifecycleEventListener {

  private final AtomicInteger open = new AtomicInteger();

  int open() {
    return Math.max(0, open.get());
  }

  @Override
  public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
    open.incrementAndGet();
  }

  @Override
  public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
    // counted at connection start
  }

  @Override
  public void onDisconnect(@NotNull DisconnectEventInput input) {
    open.decrementAndGet();
  }
}

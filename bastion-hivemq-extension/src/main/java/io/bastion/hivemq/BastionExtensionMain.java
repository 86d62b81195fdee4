package io.bastion.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.AdminService;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HiveMQ extension: announces its broker to Bastion once the broker has started, renews
 * with its load, and leaves on stop. Uses only Community Edition services, captured inside
 * {@code extensionStart} while they are this broker's own.
 */
public final class BastionExtensionMain implements ExtensionMain {

  private static final Logger LOG = LoggerFactory.getLogger(BastionExtensionMain.class);

  private final ExtensionSettings given;
  private BrokerAnnouncer announcer;

  /** As HiveMQ loads it: settings from {@code bastion.properties} in the extension's folder. */
  public BastionExtensionMain() {
    this(null);
  }

  /** With settings given directly, for a broker that embeds the extension. */
  public BastionExtensionMain(ExtensionSettings settings) {
    this.given = settings;
  }

  @Override
  public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
    ExtensionSettings settings;
    try {
      settings = given != null ? given : ExtensionSettings.load(
          input.getExtensionInformation().getExtensionHomeFolder().toPath()
              .resolve(ExtensionSettings.FILE_NAME));
    } catch (IOException | RuntimeException e) {
      output.preventExtensionStartup("cannot read " + ExtensionSettings.FILE_NAME + ": " + e.getMessage());
      return;
    }
    AdminService admin = Services.adminService();
    ConnectionCounter connections = new ConnectionCounter();
    Services.eventRegistry().setClientLifecycleEventListener(in -> connections);
    announcer = new BrokerAnnouncer(settings, admin, connections);
    announcer.start();
    LOG.info("announcing this broker to Bastion at {} (pool {})", settings.bastionUrls(), settings.pool());
  }

  @Override
  public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
    if (announcer != null) {
      announcer.stop();
    }
  }

}

package io.bastion.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.bastion.config.ClusterConfig;
import java.util.List;

/** The engine's configuration for a Bastion node: LAN timings, no phone-home, one interface. */
final class HazelcastConfigs {

  static final String BLOCKLIST = "bastion.blocklist";
  static final String BROKERS = "bastion.brokers";
  static final String BROKER_SETTINGS = "bastion.broker-settings";
  static final String HEALTH = "bastion.health";
  static final String REGISTRATIONS = "bastion.registrations";
  static final String CLIENTS = "bastion.clients";
  static final String MEMBERS = "bastion.members";
  static final String EVENTS = "bastion.events";
  static final String TAKEOVERS = "bastion.takeovers";
  static final String BLOCKS = "bastion.blocks";
  static final int EVENTS_CAPACITY = 1000;
  private static final String MAJORITY = "bastion-majority";

  private HazelcastConfigs() {}

  static Config build(ClusterConfig c, String instanceName, List<String> members) {
    // the engine reads this one as a system property too, before any Config exists
    System.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    Config config = new Config();
    config.setInstanceName(instanceName);
    config.setClusterName(c.name());
    config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    // Bastion leaves the cluster itself, after handing off its sessions
    config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
    // LAN failure detection instead of the 60 s default: a hung peer goes after suspect-after,
    // a crashed one as soon as its connection is refused a few times in a row
    config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(),
        String.valueOf(c.heartbeat().toSeconds()));
    config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(),
        String.valueOf(c.suspectAfter().toSeconds()));
    config.setProperty(ClusterProperty.CONNECTION_MONITOR_INTERVAL.getName(), "100");
    config.setProperty(ClusterProperty.CONNECTION_MONITOR_MAX_FAULTS.getName(), "3");
    config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(),
        String.valueOf(c.mergeDelay().toSeconds()));
    config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(),
        String.valueOf(c.mergeDelay().toSeconds()));
    config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
    config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "3");
    config.setProperty(ClusterProperty.SOCKET_CONNECT_TIMEOUT_SECONDS.getName(), "2");
    // bind exactly this address; interface matching would only know addresses assigned to an
    // interface, not the rest of 127.0.0.0/8 that nodes on one machine use
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", c.bind());

    NetworkConfig net = config.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(false).setReuseAddress(true);
    JoinConfig join = net.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(c.multicast());
    if (c.multicast()) {
      c.trusted().forEach(join.getMulticastConfig()::addTrustedInterface);
    }
    join.getTcpIpConfig().setEnabled(!c.multicast()).setMembers(members).setConnectionTimeoutSeconds(2);

    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true,
        c.effectiveQuorum()).setProtectOn(SplitBrainProtectionOn.WRITE));
    MergePolicyConfig newest = new MergePolicyConfig(NewestVersionWins.class.getName(), 100);
    config.addMapConfig(new MapConfig(BLOCKLIST).setMergePolicyConfig(newest));
    config.addMapConfig(new MapConfig(BROKERS).setMergePolicyConfig(newest)
        .setSplitBrainProtectionName(MAJORITY));
    config.addMapConfig(new MapConfig(BROKER_SETTINGS).setMergePolicyConfig(newest)
        .setSplitBrainProtectionName(MAJORITY));
    config.addMapConfig(new MapConfig(REGISTRATIONS).setMergePolicyConfig(newest));
    config.addMapConfig(new MapConfig(CLIENTS).setStatisticsEnabled(true));
    config.addRingBufferConfig(new RingbufferConfig(EVENTS).setCapacity(EVENTS_CAPACITY));
    return config;
  }
}

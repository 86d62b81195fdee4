package io.bastion.mqtt;

import java.util.List;
import java.util.Map;

/**
 * A validated CONNECT packet of MQTT 3.1 (level 3), 3.1.1 (level 4) or 5.0 (level 5): what
 * admission and routing need. The bytes themselves are forwarded to the broker unchanged.
 *
 * @param clientId may be empty (the broker assigns one)
 * @param username null if absent
 * @param password null if absent
 * @param willTopic null if there is no will
 * @param sessionExpiryInterval MQTT 5 only, else 0
 * @param receiveMaximum 65535 unless the client set it
 * @param maximumPacketSize 0 when not set
 * @param requestProblemInformation true unless the client set it to 0
 * @param userProperties empty when none
 * @param authenticationMethod null if absent
 * @param authenticationData null if absent
 */
public record ConnectPacket(
    int protocolLevel,
    String protocolName,
    boolean cleanStart,
    int keepAliveSeconds,
    String clientId,
    String username,
    byte[] password,
    boolean willFlag,
    int willQos,
    boolean willRetain,
    String willTopic,
    int willPayloadLength,
    long sessionExpiryInterval,
    int receiveMaximum,
    long maximumPacketSize,
    int topicAliasMaximum,
    boolean requestResponseInformation,
    boolean requestProblemInformation,
    List<Map.Entry<String, String>> userProperties,
    String authenticationMethod,
    byte[] authenticationData) {

  public boolean isMqtt5() {
    return protocolLevel == 5;
  }

  // secrets never reach a log line through toString
  @Override
  public String toString() {
    return "ConnectPacket[protocolLevel=" + protocolLevel
        + ", clientId=" + clientId
        + ", username=" + username
        + ", password=" + (password == null ? "absent" : "present")
        + ", cleanStart=" + cleanStart
        + ", keepAliveSeconds=" + keepAliveSeconds
        + ", willTopic=" + willTopic
        + ", willQos=" + willQos
        + ", willRetain=" + willRetain
        + ", willPayloadLength=" + willPayloadLength
        + ", sessionExpiryInterval=" + sessionExpiryInterval
        + ", receiveMaximum=" + receiveMaximum
        + ", maximumPacketSize=" + maximumPacketSize
        + ", topicAliasMaximum=" + topicAliasMaximum
        + ", userProperties=" + userProperties.size()
        + ", authenticationMethod=" + authenticationMethod
        + "]";
  }
}

package io.bastion.config;

/** How clients speak to a listener: MQTT straight on TCP, in TLS, in WebSocket, or both. */
public enum ListenerProtocol {
  TCP("tcp", false, false),
  TLS("tls", true, false),
  WS("ws", false, true),
  WSS("wss", true, true);

  private final String configName;
  private final boolean tls;
  private final boolean websocket;

  ListenerProtocol(String configName, boolean tls, boolean websocket) {
    this.configName = configName;
    this.tls = tls;
    this.websocket = websocket;
  }

  public String configName() {
    return configName;
  }

  public boolean tls() {
    return tls;
  }

  public boolean websocket() {
    return websocket;
  }

  static ListenerProtocol fromConfigName(String name) {
    for (ListenerProtocol p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    return null;
  }
}

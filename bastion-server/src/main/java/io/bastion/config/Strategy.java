package io.bastion.config;

/** How a pool picks a broker for a new session. */
public enum Strategy {
  CLIENT_ID_HASH("client-id-hash"),
  LEAST_CONNECTIONS("least-connections"),
  ROUND_ROBIN("round-robin");

  private final String configName;

  Strategy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Strategy fromConfigName(String name) {
    for (Strategy s : values()) {
      if (s.configName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}

package io.bastion.frontend;

/** Names of the handlers in a client channel's pipeline, so later steps find them by name. */
public final class HandlerNames {

  public static final String ACCEPT_GUARD = "accept-guard";
  public static final String FRAME_DECODER = "mqtt-frame-decoder";
  public static final String KEEPALIVE = "keepalive";
  public static final String CONNECT = "connect";
  public static final String RELAY = "relay";

  private HandlerNames() {}
}

package io.bastion.mqtt;

import io.netty.handler.codec.DecoderException;

/**
 * Bytes from a client that are not acceptable MQTT, with the reason code to answer. Stackless: a
 * flood of garbage must not cost a stack trace per connection.
 *
 * <p>A {@link DecoderException} (hence a {@link RuntimeException}) so that Netty's
 * ByteToMessageDecoder passes it to {@code exceptionCaught} as it is, instead of wrapping it in a
 * new exception with a stack trace.
 */
public final class MqttDecodeException extends DecoderException {

  private static final long serialVersionUID = 1L;

  private final ReasonCode reasonCode;
  private final int protocolLevel;

  public MqttDecodeException(ReasonCode reasonCode, String message) {
    this(reasonCode, 0, message);
  }

  /**
   * @param protocolLevel the client's protocol level when known (3, 4, 5 or what it sent), else 0
   */
  public MqttDecodeException(ReasonCode reasonCode, int protocolLevel, String message) {
    super(message);
    this.reasonCode = reasonCode;
    this.protocolLevel = protocolLevel;
  }

  // stackless: the reason code and message say all a caller needs
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  public ReasonCode reasonCode() {
    return reasonCode;
  }

  /** The protocol level read from the client, or 0 when unknown. */
  public int protocolLevel() {
    return protocolLevel;
  }
}

package io.bastion.frontend;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Connection counts of one listener, updated on the event loops, read by metrics. */
public final class ListenerStats {

  private final String listener;
  private final LongAdder accepted = new LongAdder();
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
  private final LongAdder tlsHandshakes = new LongAdder();
  private final LongAdder tlsFailures = new LongAdder();
  private final LongAdder proxyProtocolRejections = new LongAdder();
  private final LongAdder websocketRejections = new LongAdder();

  public ListenerStats(String listener) {
    this.listener = listener;
    for (Refusal r : Refusal.values()) {
      refusals.put(r, new LongAdder());
    }
  }

  public String listener() {
    return listener;
  }

  void connectionOpened() {
    accepted.increment();
    open.incrementAndGet();
  }

  void connectionClosed() {
    open.decrementAndGet();
  }

  void refused(Refusal reason) {
    refusals.get(reason).increment();
  }

  void tlsHandshakeSucceeded() {
    tlsHandshakes.increment();
  }

  void tlsHandshakeFailed() {
    tlsFailures.increment();
  }

  void proxyProtocolRejected() {
    proxyProtocolRejections.increment();
  }

  void websocketRejected() {
    websocketRejections.increment();
  }

  public long tlsHandshakes() {
    return tlsHandshakes.sum();
  }

  public long tlsHandshakeFailures() {
    return tlsFailures.sum();
  }

  /** Connections closed for a PROXY header from an untrusted address, or a missing or bad one. */
  public long proxyProtocolRejections() {
    return proxyProtocolRejections.sum();
  }

  /** HTTP requests on a WebSocket listener that were not an acceptable WebSocket upgrade. */
  public long websocketRejections() {
    return websocketRejections.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  /** TCP connections open now, sessions and not-yet-routed ones. */
  public int open() {
    return open.get();
  }

  public long refusals(Refusal reason) {
    return refusals.get(reason).sum();
  }
}

package io.bastion.detect;

import io.bastion.mqtt.MqttFrameDecoder;
import io.bastion.relay.Session;
import io.bastion.security.EdgeIdentity;

/**
 * One session as the detection thread sees it: who it is, its counters (written by the event
 * loop), and the detection thread's own snapshot of them at the open window's start.
 */
final class TrackedClient {

  final Session session;
  final ClientCounters counters;
  final MqttFrameDecoder decoder;
  final String clientId;
  final String ip;
  final String username;
  final String listener;
  final String cohort;
  final EdgeIdentity identity;
  final int keepAliveSeconds;
  final int willSize;
  /** Capped at Integer.MAX_VALUE (24 days): an int keeps the per-client state small. */
  final int connectDelayMillis;
  final long[] windowStart = new long[ClientCounters.COUNTS];
  volatile boolean ended;
  /** Detection-thread state between ticks. */
  long lastPublishes;
  long lastBytesIn;
  long lastActiveMillis;
  long inflightSinceMillis = -1;
  /** QoS 1/2 deliveries sent when the backlog began; acknowledging them all is progress. */
  long inflightMark;
  /** Since when a client that never completed a delivery has been silent with one outstanding. */
  long stuckSinceMillis = -1;
  /** The low bits of its bytes in at that moment: any packet from it since is a sign of life. */
  int stuckMarkBytes;
  float publishRate;
  float byteRate;

  TrackedClient(Session session, ClientCounters counters, MqttFrameDecoder decoder, String cohort,
      int keepAliveSeconds, int willSize, long connectDelayMillis, String ip, long nowMillis) {
    this.session = session;
    this.counters = counters;
    this.decoder = decoder;
    this.clientId = session.clientId();
    this.ip = ip;
    this.identity = session.identity() instanceof EdgeIdentity id ? id : null;
    this.username = identity != null && identity.username() != null ? identity.username() : session.username();
    this.listener = session.listener();
    this.cohort = cohort;
    this.keepAliveSeconds = keepAliveSeconds;
    this.willSize = willSize;
    this.connectDelayMillis = (int) Math.min(Integer.MAX_VALUE, connectDelayMillis);
    this.lastActiveMillis = nowMillis;
  }

  /** Counted since the open window started. */
  long inWindow(int index) {
    return counters.count(index) - windowStart[index];
  }

  /** Packets of any kind the client sent so far (for idleness). */
  long activity() {
    return counters.count(ClientCounters.BYTES_IN);
  }

  long idleMillis(long nowMillis) {
    return nowMillis - lastActiveMillis;
  }
}

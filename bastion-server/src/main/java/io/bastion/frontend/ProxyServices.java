package io.bastion.frontend;

import io.bastion.backend.Backends;
import io.bastion.backend.BrokerDialer;
import io.bastion.detect.DetectionEngine;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.Router;
import io.bastion.security.Blocklist;
import io.bastion.security.ConnectionLimiter;
import io.bastion.security.SecurityEvents;

/**
 * What a new client connection needs to find and reach its broker. The router is replaced as a
 * whole on reload; a connection reads it once.
 */
public final class ProxyServices {

  private volatile Router router;
  private final Backends backends;
  private final BrokerDialer dialer;
  private final SessionRegistry sessions;
  private final TrafficStats traffic;
  private final SecurityEvents events;
  private volatile ConnectAdmission admission = ConnectAdmission.ALLOW_ALL;
  private volatile ConnectionLimiter limiter;
  private volatile Blocklist allowlist;
  private volatile DetectionEngine detection;

  public ProxyServices(
      Router router,
      Backends backends,
      BrokerDialer dialer,
      SessionRegistry sessions,
      TrafficStats traffic,
      SecurityEvents events) {
    this.router = router;
    this.backends = backends;
    this.dialer = dialer;
    this.sessions = sessions;
    this.traffic = traffic;
    this.events = events;
  }

  public Router router() {
    return router;
  }

  public void replaceRouter(Router next) {
    router = next;
  }

  public Backends backends() {
    return backends;
  }

  public BrokerDialer dialer() {
    return dialer;
  }

  public SessionRegistry sessions() {
    return sessions;
  }

  public TrafficStats traffic() {
    return traffic;
  }

  public ConnectAdmission admission() {
    return admission;
  }

  /** Installs the admission checks (replaced as a whole on reload). */
  public void replaceAdmission(ConnectAdmission next) {
    admission = next;
  }

  public SecurityEvents events() {
    return events;
  }

  /** Accept-time limits, or null for none. */
  public ConnectionLimiter limiter() {
    return limiter;
  }

  /** Addresses exempt from accept-time limits, or null. */
  public Blocklist allowlist() {
    return allowlist;
  }

  /** Installs the accept-time limits for connections accepted from now on. */
  public void installAcceptLimits(ConnectionLimiter connectionLimiter, Blocklist allowedAddresses) {
    this.limiter = connectionLimiter;
    this.allowlist = allowedAddresses;
  }

  /** Intrusion detection's hooks, or null when there is none. */
  public DetectionEngine detection() {
    return detection;
  }

  public void installDetection(DetectionEngine engine) {
    this.detection = engine;
  }
}

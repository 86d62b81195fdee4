package io.bastion.security;

import io.bastion.config.SecurityConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The security edge of one node: what outlives a configuration reload (block and allow lists with
 * their run-time entries, connection counts, failed-login counts, the auth threads) and builds a
 * fresh {@link EdgeAdmission} from each configuration.
 */
public final class EdgeSecurity implements AutoCloseable {

  private final SecurityEvents events;
  private final Blocklist blocklist;
  private final Blocklist allowlist;
  private final UsernameGuards guards;
  private final ConnectionLimiter limiter;
  private final LoginThrottle throttle;
  private final ScheduledThreadPoolExecutor authExecutor;
  private final AtomicInteger pendingLogins = new AtomicInteger();

  public EdgeSecurity(SecurityConfig config, SecurityEvents events, Clock clock) {
    this.events = events;
    this.blocklist = new Blocklist("blocklist", clock);
    this.allowlist = new Blocklist("allowlist", clock);
    this.guards = new UsernameGuards(clock);
    this.limiter = new ConnectionLimiter(config.connections());
    this.throttle = new LoginThrottle(config.auth().failureDelay(), config.auth().maxFailureDelay());
    AtomicInteger threads = new AtomicInteger();
    this.authExecutor = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "bastion-auth-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    authExecutor.setRemoveOnCancelPolicy(true);
    blocklist.replaceConfigured(config.blocklist());
    allowlist.replaceConfigured(config.allowlist());
  }

  /**
   * Builds the admission for a configuration: reads the password file and keys it names.
   *
   * @throws IOException when a file cannot be read or is malformed
   */
  public EdgeAdmission admission(SecurityConfig config) throws IOException {
    PasswordFile passwords = null;
    if (config.auth().passwordFile() != null) {
      try {
        passwords = PasswordFile.load(config.auth().passwordFile());
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    JwtAuthenticator jwt = config.auth().jwt() == null ? null : JwtAuthenticator.create(config.auth().jwt());
    return new EdgeAdmission(config, passwords, jwt, this, pendingLogins);
  }

  /** Applies the parts of a new configuration that live here; run-time list entries stay. */
  public void apply(SecurityConfig config) {
    limiter.update(config.connections());
    throttle.update(config.auth().failureDelay(), config.auth().maxFailureDelay());
    blocklist.replaceConfigured(config.blocklist());
    allowlist.replaceConfigured(config.allowlist());
  }

  public Blocklist blocklist() {
    return blocklist;
  }

  public Blocklist allowlist() {
    return allowlist;
  }

  /** Usernames under password guessing, whose logins only known devices may attempt. */
  public UsernameGuards guards() {
    return guards;
  }

  public ConnectionLimiter limiter() {
    return limiter;
  }

  public SecurityEvents events() {
    return events;
  }

  LoginThrottle throttle() {
    return throttle;
  }

  ScheduledExecutorService authExecutor() {
    return authExecutor;
  }

  @Override
  public void close() {
    authExecutor.shutdownNow();
    try {
      authExecutor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

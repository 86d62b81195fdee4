package io.bastion.security;

import io.bastion.config.AuthConfig;
import io.bastion.config.AuthMode;
import io.bastion.config.ClientLimitsConfig;
import io.bastion.config.SecurityConfig;
import io.bastion.frontend.ConnectAdmission;
import io.bastion.frontend.ConnectionInfo;
import io.bastion.frontend.Refusal;
import io.bastion.mqtt.ConnectPacket;
import io.bastion.mqtt.ReasonCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The edge's decision on a CONNECT, for one configuration: client id rules, allow and block lists,
 * authentication per listener (certificate, password file, JWT) with a growing delay after
 * failures, and the Will topic against the ACL. Password hashes and tokens are checked on the auth
 * executor, never on an event loop. Replaced as a whole on reload.
 */
public final class EdgeAdmission implements ConnectAdmission {

  /** Logins being verified at once beyond which new ones are turned away as "server busy". */
  static final int MAX_PENDING_LOGINS = 1_000;

  private final AuthConfig auth;
  private final ClientLimitsConfig clients;
  private final Pattern clientIdPattern;
  private final PasswordFile passwords;
  private final JwtAuthenticator jwt;
  private final TopicAcl acl;
  private final EdgeSecurity edge;
  private final AtomicInteger pending;

  EdgeAdmission(SecurityConfig config, PasswordFile passwords, JwtAuthenticator jwt, EdgeSecurity edge,
      AtomicInteger pending) {
    this.auth = config.auth();
    this.clients = config.clients();
    this.clientIdPattern = clients.clientIdPattern() == null ? null : Pattern.compile(clients.clientIdPattern());
    this.passwords = passwords;
    this.jwt = jwt;
    this.acl = new TopicAcl(config.acl());
    this.edge = edge;
    this.pending = pending;
  }

  @Override
  public CompletionStage<Verdict> admit(ConnectionInfo connection, ConnectPacket connect) {
    String clientId = connect.clientId();
    if (clients.maxClientIdLength() > 0 && clientId.length() > clients.maxClientIdLength()) {
      return done(Verdict.refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, Refusal.CLIENT_ID_INVALID,
          "client id longer than " + clients.maxClientIdLength() + " characters"));
    }
    if (clientIdPattern != null && !clientId.isEmpty() && !clientIdPattern.matcher(clientId).matches()) {
      return done(Verdict.refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, Refusal.CLIENT_ID_INVALID,
          "client id does not match the required pattern"));
    }
    InetAddress address = address(connection);
    ConnectionInfo.ClientCertificate cert = connection.certificate();
    String fingerprint = cert == null ? null : cert.sha256Fingerprint();
    boolean allowlisted = edge.allowlist().match(address, clientId, connect.username(), fingerprint) != null;
    Verdict blocked = allowlisted ? null : blocked(address, clientId, connect.username(), fingerprint);
    if (blocked != null) {
      return done(blocked);
    }
    AuthMode mode = auth.mode(connection.listener());
    boolean byCertificate = mode != AuthMode.OFF && auth.certificates() != AuthConfig.CertificateIdentity.OFF
        && certificateName(cert) != null;
    // without a password the edge ignores the username (anonymous or refused anyway): nothing to guard
    boolean unproven = mode != AuthMode.OFF && connect.password() == null;
    UsernameGuards.Guard guard = allowlisted || byCertificate || unproven || connect.username() == null ? null
        : edge.guards().refusing(connect.username(), clientId, host(address));
    if (guard != null) {
      return refuseGuarded(connect, address, guard);
    }
    if (mode == AuthMode.OFF) {
      return done(admitted(connect, new EdgeIdentity(clientId, connect.username(), List.of(),
          certificateName(cert), fingerprint, false, address), allowlisted));
    }
    if (auth.certificates() != AuthConfig.CertificateIdentity.OFF && certificateName(cert) != null) {
      return done(admitted(connect, new EdgeIdentity(clientId, certificateName(cert), List.of(),
          certificateName(cert), fingerprint, true, address), allowlisted));
    }
    if (connect.password() == null || (passwords == null && jwt == null)) {
      if (mode == AuthMode.REQUIRED) {
        return done(Verdict.refuse(ReasonCode.NOT_AUTHORIZED, Refusal.NOT_AUTHORIZED,
            connect.password() == null ? "no credentials" : "no password or token method configured"));
      }
      // optional: anonymous, and a username nobody proved is not an identity
      return done(admitted(connect, new EdgeIdentity(clientId, null, List.of(), null, fingerprint,
          false, address), allowlisted));
    }
    return verifyOffLoop(connect, address, fingerprint, allowlisted);
  }

  /**
   * Refuses a login for a guarded username without checking its password. The answer is the one a
   * wrong password gets (MQTT 5 0x86, 3.1.1 0x04), after the same growing delay: a guesser learns
   * neither that it was noticed nor whether a guess was right, and keeps spending its attempts on
   * answers that mean nothing, where "banned" (0x8A) would tell it to wait out the guard.
   */
  private CompletionStage<Verdict> refuseGuarded(ConnectPacket connect, InetAddress address,
      UsernameGuards.Guard guard) {
    long delay = edge.throttle().failed(host(address), connect.username());
    Verdict refused = Verdict.refuse(ReasonCode.BAD_USERNAME_OR_PASSWORD, Refusal.USERNAME_GUARDED,
        "username '" + connect.username() + "' guarded until " + guard.expires()
            + " and client id '" + connect.clientId() + "' never logged in as it from this address");
    CompletableFuture<Verdict> result = new CompletableFuture<>();
    try {
      edge.authExecutor().schedule(() -> result.complete(refused), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      result.complete(refused);
    }
    return result;
  }

  /**
   * Remembers a login that proved its username: by password or token at the edge, or at the broker
   * when the edge does not authenticate. An anonymous client that merely named a username is not
   * remembered, or it could make itself known before guessing.
   */
  @Override
  public void loggedIn(ConnectionInfo connection, ConnectPacket connect, Object identity) {
    boolean byBroker = auth.mode(connection.listener()) == AuthMode.OFF;
    boolean byPassword = identity instanceof EdgeIdentity id && id.authenticated() && connect.password() != null;
    if (byBroker || byPassword) {
      edge.guards().loggedIn(connect.username(), connect.clientId(), host(address(connection)));
    }
  }

  private static String host(InetAddress address) {
    return address == null ? "?" : address.getHostAddress();
  }

  private CompletionStage<Verdict> verifyOffLoop(ConnectPacket connect, InetAddress address,
      String fingerprint, boolean allowlisted) {
    if (pending.incrementAndGet() > MAX_PENDING_LOGINS) {
      pending.decrementAndGet();
      return done(Verdict.refuse(ReasonCode.SERVER_BUSY, Refusal.AUTH_FAILED, "too many logins in progress"));
    }
    CompletableFuture<Verdict> result = new CompletableFuture<>();
    ScheduledExecutorService executor = edge.authExecutor();
    try {
      executor.execute(() -> {
        try {
          EdgeIdentity id = verify(connect, address, fingerprint);
          if (id != null) {
            edge.throttle().succeeded(id.username());
            result.complete(admitted(connect, id, allowlisted));
            return;
          }
          long delay = edge.throttle().failed(host(address), connect.username());
          Verdict refused = Verdict.refuse(ReasonCode.BAD_USERNAME_OR_PASSWORD, Refusal.AUTH_FAILED,
              "bad credentials for user " + (connect.username() == null ? "-" : connect.username())
                  + " (answered after " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms)");
          executor.schedule(() -> result.complete(refused), delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.complete(Verdict.refuse(ReasonCode.SERVER_UNAVAILABLE, Refusal.AUTH_FAILED, "shutting down"));
    }
    return result.whenComplete((v, e) -> pending.decrementAndGet());
  }

  private EdgeIdentity verify(ConnectPacket connect, InetAddress address, String fingerprint) {
    byte[] password = connect.password();
    if (jwt != null && JwtAuthenticator.looksLikeJwt(password)) {
      JwtAuthenticator.Claims claims = jwt.verify(password);
      return claims == null ? null : new EdgeIdentity(connect.clientId(), claims.username(),
          claims.groups(), null, fingerprint, true, address);
    }
    if (passwords == null) {
      return null;
    }
    PasswordFile.User user = passwords.verify(connect.username(), password);
    return user == null ? null : new EdgeIdentity(connect.clientId(), user.name(), user.groups(),
        null, fingerprint, true, address);
  }

  /** The last checks once the identity is known: a blocked identity, the Will topic. */
  private Verdict admitted(ConnectPacket connect, EdgeIdentity id, boolean allowlisted) {
    if (!allowlisted && id.authenticated() && id.username() != null) {
      Verdict blocked = blocked(null, null, id.username(), null);
      if (blocked != null) {
        return blocked;
      }
    }
    if (acl.enabled() && connect.willTopic() != null && !acl.forIdentity(id).mayPublish(connect.willTopic())) {
      return Verdict.refuse(ReasonCode.NOT_AUTHORIZED, Refusal.ACL_DENIED,
          "will topic '" + connect.willTopic() + "' not allowed");
    }
    return Verdict.allow(id);
  }

  private Verdict blocked(InetAddress address, String clientId, String username, String fingerprint) {
    Blocklist.Entry e = edge.blocklist().match(address, clientId, username, fingerprint);
    return e == null ? null : Verdict.refuse(ReasonCode.BANNED, Refusal.BLOCKED,
        "blocklist " + e.kind().key() + " " + e.value() + ": " + e.reason());
  }

  @Override
  public ClientGuard guard(ConnectionInfo connection, ConnectPacket connect, Object identity) {
    if (!(identity instanceof EdgeIdentity id)) {
      return null;
    }
    ClientGuard g = new ClientGuard(id, connect.protocolLevel(), connection.listener(),
        connection.remoteHost(), edge.events(), acl, clients);
    return g.active() ? g : null;
  }

  private String certificateName(ConnectionInfo.ClientCertificate cert) {
    if (cert == null) {
      return null;
    }
    return switch (auth.certificates()) {
      case SAN -> cert.subjectAltNames().isEmpty() ? null : cert.subjectAltNames().get(0);
      default -> cert.subjectCn() != null || cert.subjectAltNames().isEmpty()
          ? cert.subjectCn() : cert.subjectAltNames().get(0);
    };
  }

  static InetAddress address(ConnectionInfo connection) {
    return connection.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  private static CompletionStage<Verdict> done(Verdict v) {
    return CompletableFuture.completedFuture(v);
  }
}

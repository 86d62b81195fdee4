package io.bastion.frontend;

import io.bastion.mqtt.ConnectPacket;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.ClientGuard;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a valid CONNECT may go on to routing: blocklists, authentication and similar
 * checks. A decision may take time (a slow password hash runs off the event loop); the connection
 * reads nothing more meanwhile.
 */
public interface ConnectAdmission {

  CompletionStage<Verdict> admit(ConnectionInfo connection, ConnectPacket connect);

  /**
   * The checks an admitted client's session runs on its packets (topic ACLs, rate limits), or null
   * when there are none.
   */
  default ClientGuard guard(ConnectionInfo connection, ConnectPacket connect, Object identity) {
    return null;
  }

  /**
   * The broker accepted the login of an admitted client (its CONNACK said success): who logged in
   * from where, remembered for username guards.
   *
   * @param identity what {@link #admit} found the client to be
   */
  default void loggedIn(ConnectionInfo connection, ConnectPacket connect, Object identity) {}

  /** Admits everyone. */
  ConnectAdmission ALLOW_ALL = (connection, connect) -> CompletableFuture.completedFuture(Verdict.ALLOW);

  /**
   * @param code the answer for a refused client (CONNACK code of its protocol level)
   * @param identity for an admitted client, who it is for later checks (e.g. topic ACLs); may be
   *     null
   */
  record Verdict(boolean allowed, ReasonCode code, Refusal refusal, String detail, Object identity) {

    public static final Verdict ALLOW = new Verdict(true, null, null, null, null);

    public static Verdict allow(Object identity) {
      return new Verdict(true, null, null, null, identity);
    }

    public static Verdict refuse(ReasonCode code, Refusal refusal, String detail) {
      return new Verdict(false, code, refusal, detail, null);
    }
  }
}

package io.bastion.detect;

import java.time.Instant;
import java.util.List;

/**
 * A detector's finding about a client or an address, handed to the {@link Responder}.
 *
 * @param detector a stable name, e.g. {@code connect-flood} or {@code model}
 * @param clientId null when the finding is about an address only
 * @param score the model's anomaly grade, or the measured value for a rule
 * @param because what drove it, in words, most important first (e.g. "messages published 40× its cohort")
 * @param wanted the strongest action the detector asks for; the responder may grade it down
 * @param username set, with a null client id, when the finding is about a username (brute force)
 */
public record Detection(
    Instant time,
    String detector,
    String clientId,
    String remoteIp,
    String cohort,
    double score,
    List<String> because,
    Action wanted,
    String username) {

  /** A finding about a client or an address. */
  public Detection(Instant time, String detector, String clientId, String remoteIp, String cohort,
      double score, List<String> because, Action wanted) {
    this(time, detector, clientId, remoteIp, cohort, score, because, wanted, null);
  }

  /**
   * Graded responses, weakest first. {@link #GUARD} is about a username: its logins are refused
   * from client ids and addresses that never logged in as it (the owner keeps working).
   */
  public enum Action {
    OBSERVE,
    THROTTLE,
    DENY,
    GUARD,
    BLOCK
  }
}

package io.bastion.security;

import java.time.Instant;

/**
 * Something the edge refused, blocked or throttled, for the operator: never carries a secret.
 *
 * @param kind what happened, e.g. {@code refused}, {@code blocked}, {@code throttled}
 * @param reason a stable label, e.g. {@code invalid-connect}
 */
public record SecurityEvent(
    Instant time,
    String kind,
    String reason,
    String listener,
    String remoteAddress,
    String clientId,
    String detail) {}

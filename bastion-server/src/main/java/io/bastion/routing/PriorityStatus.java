package io.bastion.routing;

import java.util.List;

/**
 * A priority rule as last looked at, for the admin API, metrics and dashboard.
 *
 * @param pools every pool of the rule, best priority first
 * @param active the pool new sessions go to
 * @param reason why that pool
 * @param sessionsBelow sessions of this rule on pools of lower priority than the active one
 * @param returnInSeconds seconds until they start moving back (the active pool must stay up for
 *     {@code return-hold}), 0 while they move, null when none wait or the active pool is not up
 * @param movedBack sessions moved back to a better pool since start
 */
public record PriorityStatus(
    String rule,
    List<PoolCheck> pools,
    String active,
    String reason,
    int sessionsBelow,
    Double returnInSeconds,
    long movedBack) {}

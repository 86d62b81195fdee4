package io.bastion.routing;

/**
 * One pool of a priority rule, looked at now.
 *
 * @param available brokers that take new sessions
 * @param load connections / capacity over the brokers whose capacity is known, or null when no
 *     capacity is known
 */
public record PoolCheck(String pool, int priority, PoolState state, int available, Double load) {}

package io.bastion.config;

/**
 * One broker of a pool.
 *
 * @param id stable identity used by consistent hashing; defaults to {@code host:port}
 * @param weight relative share of clients, at least 1
 */
public record BrokerConfig(String id, String host, int port, int weight) {}

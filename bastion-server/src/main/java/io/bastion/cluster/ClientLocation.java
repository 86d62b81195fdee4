package io.bastion.cluster;

/**
 * Where a client id is connected.
 *
 * @param node the Bastion node relaying it
 * @param broker {@code pool/broker}
 * @param since when its CONNACK went out (epoch milliseconds)
 */
public record ClientLocation(String clientId, String node, String broker, long since) {}

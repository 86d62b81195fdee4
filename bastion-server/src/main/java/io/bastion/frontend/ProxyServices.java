package io.bastion.frontend;

import io.bastion.backend.Backends;
import io.bastion.backend.BrokerDialer;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.Router;

/** What a new client connection needs to find and reach its broker. */
public record ProxyServices(
    Router router,
    Backends backends,
    BrokerDialer dialer,
    SessionRegistry sessions,
    TrafficStats traffic) {}

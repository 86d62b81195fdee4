package io.bastion.admin;

import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.backend.discovery.SourceStatus;
import io.bastion.config.DetectorCatalog;
import io.bastion.detect.DetectionEngine;
import io.bastion.frontend.Listener;
import io.bastion.frontend.ListenerStats;
import io.bastion.frontend.Refusal;
import io.bastion.mqtt.PacketType;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.PoolCheck;
import io.bastion.routing.PriorityPools;
import io.bastion.routing.PriorityStatus;
import io.bastion.security.SecurityEvents;
import io.bastion.security.Violation;
import io.bastion.relay.TrafficStats.Direction;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exposes Bastion's own counters (kept as plain adders on the hot path) as Micrometer meters. Pools
 * and listeners change at run time, so {@link #refresh()} registers meters for new ones and removes
 * those of brokers and listeners that are gone; the metrics endpoint calls it before each scrape.
 */
public final class MetricsBinder implements AutoCloseable {

  private final MeterRegistry registry;
  private final Supplier<List<Listener>> listeners;
  private final Supplier<List<BrokerPool>> pools;
  private final Supplier<List<SourceStatus>> discovery;
  private final Map<Object, List<Meter>> bound = new HashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile PriorityPools priority;

  public MetricsBinder(
      MeterRegistry registry,
      Supplier<List<Listener>> listeners,
      Supplier<List<BrokerPool>> pools,
      Supplier<List<SourceStatus>> discovery,
      TrafficStats traffic,
      Supplier<Integer> sessions,
      Supplier<Long> securityEvents) {
    this.registry = registry;
    this.listeners = listeners;
    this.pools = pools;
    this.discovery = discovery;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("bastion.sessions.active", sessions, s -> s.get())
        .description("sessions relayed now")
        .register(registry);
    FunctionCounter.builder("bastion.security.events", securityEvents, s -> s.get())
        .description("refusals, blocks and throttles")
        .register(registry);
    for (Direction d : Direction.values()) {
      for (PacketType t : PacketType.values()) {
        Tags tags = Tags.of("direction", d.label(), "type", t.name().toLowerCase());
        FunctionCounter.builder("bastion.relay.packets", traffic, x -> x.packets(d, t))
            .tags(tags).description("MQTT packets relayed").register(registry);
        FunctionCounter.builder("bastion.relay.bytes", traffic, x -> x.bytes(d, t))
            .tags(tags).baseUnit("bytes").description("bytes relayed").register(registry);
      }
      FunctionCounter.builder("bastion.relay.backpressure.pauses", traffic, x -> x.pauses(d))
          .tags("direction", d.label())
          .description("times reading one side paused because the other could not take more")
          .register(registry);
    }
    refresh();
  }

  /** Counters of session violations (denied publishes and subscriptions, throttles) per reason. */
  public void bindSecurity(SecurityEvents events) {
    for (Violation v : Violation.values()) {
      FunctionCounter.builder("bastion.security.violations", events, e -> e.violations(v))
          .tags("reason", v.label())
          .description("client packets the edge refused or slowed, and sessions it ended")
          .register(registry);
    }
  }

  /**
   * Per priority rule: which pool is active ({@code bastion_rule_pool_active}) and how many
   * sessions were moved back ({@code bastion_rule_sessions_moved_back_total}).
   */
  public void bindPriority(PriorityPools priority) {
    this.priority = priority;
    refresh();
  }

  /** Detections by detector, actions taken, tracked clients and the model's warm-up. */
  public void bindDetection(DetectionEngine detection) {
    List<String> detectors = new ArrayList<>(DetectorCatalog.names());
    detectors.add("model");
    for (String d : detectors) {
      FunctionCounter.builder("bastion.detect.detections", detection, e -> e.log().detections(d))
          .tags("detector", d).description("detections reported, acted on or not").register(registry);
    }
    for (String a : List.of("observe", "throttle", "deny", "guard", "block", "none")) {
      FunctionCounter.builder("bastion.detect.actions", detection, e -> e.log().actions(a))
          .tags("action", a).description("what detections led to (none: allowlisted)").register(registry);
    }
    Gauge.builder("bastion.detect.guarded.usernames", detection, e -> e.responder().guards().list().size())
        .description("usernames whose logins only known devices may attempt").register(registry);
    Gauge.builder("bastion.detect.tracked.clients", detection, DetectionEngine::trackedClients)
        .description("sessions whose features are counted").register(registry);
    Gauge.builder("bastion.detect.model.warmup", detection, DetectionEngine::modelWarmUp)
        .description("how far the anomaly model is warmed up, 0 to 1 (NaN before it reports)")
        .register(registry);
  }

  /** Brings per-listener and per-broker meters in line with what exists now. */
  public synchronized void refresh() {
    Map<Object, Boolean> present = new HashMap<>();
    for (Listener l : listeners.get()) {
      ListenerStats stats = l.stats();
      present.put(stats, true);
      bound.computeIfAbsent(stats, k -> bindListener(stats));
    }
    for (BrokerPool pool : pools.get()) {
      for (Broker b : pool.brokers()) {
        present.put(b, true);
        bound.computeIfAbsent(b, k -> bindBroker(b));
      }
    }
    for (SourceStatus st : discovery.get()) {
      present.put(st, true);
      bound.computeIfAbsent(st, k -> bindSource(st));
    }
    if (priority != null) {
      for (PriorityStatus st : priority.status()) {
        for (PoolCheck c : st.pools()) {
          String key = "priority:" + st.rule() + "/" + c.pool();
          present.put(key, true);
          bound.computeIfAbsent(key, k -> bindPriorityPool(st.rule(), c.pool()));
        }
        String key = "priority:" + st.rule();
        present.put(key, true);
        bound.computeIfAbsent(key, k -> bindPriorityRule(st.rule()));
      }
    }
    bound.entrySet().removeIf(e -> {
      if (present.containsKey(e.getKey())) {
        return false;
      }
      e.getValue().forEach(registry::remove);
      return true;
    });
  }

  private List<Meter> bindListener(ListenerStats stats) {
    List<Meter> meters = new ArrayList<>();
    Tags tags = Tags.of("listener", stats.listener());
    meters.add(Gauge.builder("bastion.connections.open", stats, ListenerStats::open)
        .tags(tags).description("client connections open now").register(registry));
    meters.add(FunctionCounter.builder("bastion.connections.accepted", stats, ListenerStats::accepted)
        .tags(tags).description("client connections accepted").register(registry));
    for (Refusal r : Refusal.values()) {
      meters.add(FunctionCounter.builder("bastion.connections.refused", stats, s -> s.refusals(r))
          .tags(tags.and("reason", r.label()))
          .description("connections ended before their session started").register(registry));
    }
    meters.add(FunctionCounter.builder("bastion.tls.handshakes", stats, ListenerStats::tlsHandshakes)
        .tags(tags.and("result", "ok")).description("TLS handshakes").register(registry));
    meters.add(FunctionCounter.builder("bastion.tls.handshakes", stats, ListenerStats::tlsHandshakeFailures)
        .tags(tags.and("result", "failed")).description("TLS handshakes").register(registry));
    meters.add(FunctionCounter.builder("bastion.proxy.protocol.rejected", stats,
            ListenerStats::proxyProtocolRejections)
        .tags(tags).description("connections closed for an untrusted, missing or bad PROXY header")
        .register(registry));
    meters.add(FunctionCounter.builder("bastion.websocket.rejected", stats,
            ListenerStats::websocketRejections)
        .tags(tags).description("HTTP requests refused on a WebSocket listener (wrong path, no upgrade, "
            + "Origin not allowed)").register(registry));
    return meters;
  }

  private List<Meter> bindPriorityPool(String rule, String pool) {
    PriorityPools p = priority;
    return List.of(Gauge.builder("bastion.rule.pool.active", p,
            x -> x.status().stream().anyMatch(s -> s.rule().equals(rule) && s.active().equals(pool)) ? 1 : 0)
        .tags("rule", rule, "pool", pool)
        .description("1 for the pool of a priority rule that takes new sessions").register(registry));
  }

  private List<Meter> bindPriorityRule(String rule) {
    PriorityPools p = priority;
    return List.of(FunctionCounter.builder("bastion.rule.sessions.moved.back", p,
            x -> x.status().stream().filter(s -> s.rule().equals(rule))
                .mapToLong(PriorityStatus::movedBack).sum())
        .tags("rule", rule)
        .description("sessions moved back to a better pool of a priority rule after it recovered")
        .register(registry));
  }

  private List<Meter> bindSource(SourceStatus st) {
    Tags tags = Tags.of("pool", st.pool(), "source", st.source().label());
    return List.of(
        FunctionCounter.builder("bastion.discovery.refreshes", st, SourceStatus::refreshes)
            .tags(tags).description("good answers read from a discovery source").register(registry),
        FunctionCounter.builder("bastion.discovery.failures", st, SourceStatus::failures)
            .tags(tags).description("failed or refused answers; the last good one stayed")
            .register(registry),
        Gauge.builder("bastion.discovery.brokers", st, SourceStatus::brokers)
            .tags(tags).description("brokers in the answer in force").register(registry));
  }

  private List<Meter> bindBroker(Broker b) {
    List<Meter> meters = new ArrayList<>();
    Tags tags = Tags.of("pool", b.pool(), "broker", b.id());
    meters.add(Gauge.builder("bastion.broker.sessions", b, Broker::sessions)
        .tags(tags).description("sessions on this broker").register(registry));
    meters.add(Gauge.builder("bastion.broker.up", b, x -> x.healthy() ? 1 : 0)
        .tags(tags).description("1 when the active probe says up").register(registry));
    meters.add(Gauge.builder("bastion.broker.available", b, x -> x.available() ? 1 : 0)
        .tags(tags).description("1 when the broker takes new sessions").register(registry));
    meters.add(Gauge.builder("bastion.broker.draining", b, x -> x.draining() ? 1 : 0)
        .tags(tags).register(registry));
    meters.add(Gauge.builder("bastion.broker.disabled", b, x -> x.disabled() ? 1 : 0)
        .tags(tags).description("1 when an operator disabled the broker").register(registry));
    meters.add(Gauge.builder("bastion.broker.weight", b, Broker::weight)
        .tags(tags).description("the weight routing uses (an operator's override or the configured one)")
        .register(registry));
    meters.add(Gauge.builder("bastion.broker.probe.seconds", b, x -> x.lastProbeNanos() / 1e9)
        .tags(tags).baseUnit("seconds").description("duration of the last successful probe")
        .register(registry));
    meters.add(FunctionCounter.builder("bastion.routing.decisions", b, Broker::sessionsPlaced)
        .tags(tags).description("sessions placed on this broker").register(registry));
    meters.add(Gauge.builder("bastion.broker.reported.connections", b,
            x -> x.reported() == null ? Double.NaN : x.reported().connections())
        .tags(tags).description("connections as the broker last reported them").register(registry));
    meters.add(FunctionCounter.builder("bastion.routing.failovers", b, Broker::failedConnects)
        .tags(tags).description("connects to this broker that failed, sending the client to the next")
        .register(registry));
    return meters;
  }

  @Override
  public void close() {
    gc.close();
  }
}

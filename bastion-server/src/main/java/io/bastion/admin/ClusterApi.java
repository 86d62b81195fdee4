package io.bastion.admin;

import io.bastion.cluster.ClientLocation;
import io.bastion.cluster.ClusterEvent;
import io.bastion.cluster.ClusterUnavailableException;
import io.bastion.cluster.ClusterView;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/cluster} (members, fingerprints, quorum, block propagation), {@code
 * /api/cluster/clients/{id}} (where a client id is connected cluster-wide) and {@code
 * /api/cluster/events} (security events of every node).
 */
final class ClusterApi {

  private final NodeControl node;
  private final AdminApi api;

  ClusterApi(NodeControl node, AdminApi api) {
    this.node = node;
    this.api = api;
  }

  /** The answer for a cluster route, or null when the request is for another route. */
  Response handle(Request r, int limit) {
    if (r.path().size() < 2 || !r.path().get(1).equals("cluster")) {
      return null;
    }
    try {
      if (r.is(HttpMethod.GET, "api", "cluster")) {
        return api.ok(view(node.cluster().view()));
      }
      if (r.is(HttpMethod.GET, "api", "cluster", "clients", "*")) {
        String id = r.path().get(3);
        List<ClientLocation> found = node.cluster().locate(id);
        if (found.isEmpty()) {
          throw HttpError.notFound("client id " + id + " is not connected to any node of the cluster");
        }
        return api.ok(Map.of("clientId", id, "connections", found.stream().map(ClusterApi::location).toList()));
      }
      if (r.is(HttpMethod.GET, "api", "cluster", "events")) {
        List<ClusterEvent> events = node.cluster().events(limit);
        return api.ok(Map.of("events", events.stream().map(ClusterApi::event).toList()));
      }
    } catch (ClusterUnavailableException e) {
      throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
    throw HttpError.notFound("no such route: " + r.method() + " /" + String.join("/", r.path()));
  }

  private static Map<String, Object> view(ClusterView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", v.mode());
    m.put("name", v.name());
    m.put("node", v.node());
    m.put("fingerprint", v.fingerprint());
    m.put("fingerprintMismatch", v.fingerprintMismatch());
    m.put("quorum", v.quorum());
    m.put("writable", v.writable());
    m.put("members", v.members().stream().map(x -> {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("node", x.node());
      mm.put("address", x.address());
      mm.put("admin", x.admin());
      mm.put("fingerprint", x.fingerprint());
      mm.put("self", x.self());
      mm.put("trusted", x.trusted());
      mm.put("fingerprintMatches", v.fingerprint().equals(x.fingerprint()));
      return mm;
    }).toList());
    m.put("problems", v.problems());
    m.put("sessionsPerBroker", v.sessionsPerBroker());
    m.put("blockPropagation", Map.of("count", v.blockPropagation().count(),
        "p50Millis", v.blockPropagation().p50Millis(), "p99Millis", v.blockPropagation().p99Millis(),
        "maxMillis", v.blockPropagation().maxMillis()));
    return m;
  }

  private static Map<String, Object> location(ClientLocation l) {
    return Map.of("node", l.node(), "broker", l.broker(), "since", Instant.ofEpochMilli(l.since()).toString());
  }

  private static Map<String, Object> event(ClusterEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", e.node());
    m.put("time", e.at().toString());
    m.put("kind", e.kind());
    m.put("reason", e.reason());
    m.put("listener", e.listener());
    m.put("remoteAddress", e.remoteAddress());
    m.put("clientId", e.clientId());
    m.put("detail", e.detail());
    return m;
  }
}

package io.bastion.hivemq;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Talks to Bastion's admin API with the JDK's HTTP client. Several Bastion nodes may be given:
 * a request goes to the one that answered last and, when it fails, to the next.
 */
final class BastionClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final List<URI> urls;
  private final String token;
  private final HttpClient http;
  private int current;

  BastionClient(List<URI> urls, String token) {
    this.urls = List.copyOf(urls);
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** Registers or renews a broker. */
  synchronized void register(String pool, Registration r) throws IOException {
    send(pool, r.id(), "PUT", r.toJson());
  }

  /** Ends a broker's registration; its sessions are drained by Bastion. */
  synchronized void deregister(String pool, String id) throws IOException {
    send(pool, id, "DELETE", null);
  }

  private void send(String pool, String id, String method, String json) throws IOException {
    IOException last = null;
    for (int i = 0; i < urls.size(); i++) {
      int index = (current + i) % urls.size();
      URI uri = URI.create(urls.get(index) + "/api/pools/" + encode(pool) + "/brokers/" + encode(id));
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (json != null) {
        b.header("Content-Type", "application/json");
      }
      try {
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          current = index;
          return;
        }
        last = new IOException(method + " " + uri + " answered " + response.statusCode() + ": "
            + response.body());
      } catch (IOException e) {
        last = new IOException(method + " " + uri + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw last;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** What a broker says about itself. */
  record Registration(String id, String host, int port, Duration lease, int connections, int capacity) {

    String toJson() {
      return "{\"host\":" + quote(host) + ",\"port\":" + port + ",\"lease\":"
          + Math.max(1, (lease.toMillis() + 999) / 1000) + ",\"connections\":" + connections
          + ",\"capacity\":" + capacity + "}";
    }

    private static String quote(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.append('"').toString();
    }
  }
}

package io.bastion.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario shares: where to connect, from where, with how many threads. */
final class CommonOptions {

  @Option(names = {"-t", "--target"}, split = ",", paramLabel = "HOST:PORT",
      description = "MQTT endpoint(s); with several, clients are spread over them in turn "
          + "(the 'direct' case: one entry per broker). Default: ${DEFAULT-VALUE}",
      defaultValue = "127.0.0.1:1883")
  List<String> target;

  @Option(names = "--source-addresses", paramLabel = "N", defaultValue = "16",
      description = "bind connections to N loopback source addresses 127.0.0.2… (0: let the "
          + "kernel choose). Default: ${DEFAULT-VALUE}")
  int sourceAddresses;

  @Option(names = "--threads", paramLabel = "N",
      description = "event loop threads of the load generator. Default: number of cores")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--label", paramLabel = "NAME", defaultValue = "target",
      description = "name of the target in the report (direct, bastion, haproxy…)")
  String label;

  @Option(names = "--client-prefix", paramLabel = "PREFIX", defaultValue = "bench",
      description = "client ids are PREFIX-<scenario>-<run>-<n>. Default: ${DEFAULT-VALUE}")
  String clientPrefix;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON")
  Path json;

  List<InetSocketAddress> targets() {
    List<InetSocketAddress> list = new ArrayList<>();
    for (String t : target) {
      int colon = t.lastIndexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("target must be HOST:PORT, got " + t);
      }
      list.add(new InetSocketAddress(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1))));
    }
    return list;
  }
}

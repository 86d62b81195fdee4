package io.bastion.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed connections counted by reason, for the report. */
final class Failures {

  private final LongAdder count = new LongAdder();
  private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

  void add(String why) {
    count.increment();
    // reasons are grouped by their first 80 characters
    String key = why.length() > 80 ? why.substring(0, 80) : why;
    byReason.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long count() {
    return count.sum();
  }

  /** The most common reasons, for the report; empty when nothing failed. */
  String summary() {
    Map<String, Long> sorted = new TreeMap<>();
    byReason.forEach((k, v) -> sorted.put(k, v.sum()));
    StringBuilder sb = new StringBuilder();
    sorted.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(3)
        .forEach(e -> sb.append(sb.length() == 0 ? "" : "; ").append(e.getValue()).append("x ").append(e.getKey()));
    return sb.toString();
  }
}

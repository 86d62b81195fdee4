package io.bastion.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/** The most recent detections (a fixed ring) and counts by detector and by action, for API and metrics. */
public final class DetectionLog {

  private final AtomicReferenceArray<DetectionRecord> ring;
  private final AtomicLong written = new AtomicLong();
  private final Map<String, LongAdder> byDetector = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byAction = new ConcurrentHashMap<>();

  public DetectionLog(int capacity) {
    ring = new AtomicReferenceArray<>(capacity);
  }

  void add(DetectionRecord r) {
    long n = written.getAndIncrement();
    ring.set((int) (n % ring.length()), r);
    byDetector.computeIfAbsent(r.detection().detector(), k -> new LongAdder()).increment();
    byAction.computeIfAbsent(actionLabel(r.action()), k -> new LongAdder()).increment();
  }

  private static String actionLabel(String action) {
    return action.startsWith("none") ? "none" : action;
  }

  public long total() {
    return written.get();
  }

  /** Up to {@code limit} records matching {@code filter}, newest first. */
  public List<DetectionRecord> recent(int limit, Predicate<DetectionRecord> filter) {
    long end = written.get();
    long start = Math.max(0, end - ring.length());
    List<DetectionRecord> out = new ArrayList<>();
    for (long i = end - 1; i >= start && out.size() < limit; i--) {
      DetectionRecord r = ring.get((int) (i % ring.length()));
      if (r != null && filter.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Detections so far by detector name (only detectors that reported). */
  public Map<String, Long> byDetector() {
    Map<String, Long> m = new java.util.TreeMap<>();
    byDetector.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public long detections(String detector) {
    LongAdder a = byDetector.get(detector);
    return a == null ? 0 : a.sum();
  }

  /** Actions taken: observe, throttle, deny, guard, block, none (allowlisted). */
  public long actions(String action) {
    LongAdder a = byAction.get(action);
    return a == null ? 0 : a.sum();
  }
}

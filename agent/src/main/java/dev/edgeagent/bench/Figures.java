package dev.edgeagent.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;

/** The arithmetic the benchmarks share: rounding, ratios of two sides, percentiles, process CPU time. */
final class Figures {
  private Figures() {}

  /** Three decimals: enough for ratios and milliseconds, short in a JSON line. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** {@code a[key] / b[key]}, rounded; 0 when {@code b[key]} is 0. */
  static double ratio(ObjectNode a, ObjectNode b, String key) {
    double d = b.get(key).asDouble();
    return d == 0 ? 0 : round(a.get(key).asDouble() / d);
  }

  /** The nearest-rank {@code q} percentile of ascending {@code sorted}; 0 when it is empty. */
  static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  /** CPU time this process has used, all threads together. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}

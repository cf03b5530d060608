package org.chartproof.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The machine the figures come from, so that they can be quoted with their context.
 *
 * @param cpus processors available to this JVM (what {@code nproc} reports)
 * @param cpuModel model name from /proc/cpuinfo, or empty where unavailable
 * @param memoryMb physical memory, or 0 where unavailable
 */
record Machine(int cpus, String cpuModel, long memoryMb, String os, String java) {

  static Machine current() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        readMemoryMb(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version", System.getProperty("java.version")));
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(cpus + " cpus" + (cpuModel.isEmpty() ? "" : " (" + cpuModel + ")"));
    if (memoryMb > 0) {
      parts.add(String.format(Locale.ROOT, "%.1f GiB RAM", memoryMb / 1024.0));
    }
    parts.add(os);
    parts.add(java);
    return String.join(", ", parts);
  }

  private static String readCpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static long readMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024 * 1024);
    }
    return 0;
  }
}

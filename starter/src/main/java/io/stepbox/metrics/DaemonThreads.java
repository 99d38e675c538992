package io.stepbox.metrics;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Single daemon threads for the metrics endpoint and the approvals count: never hold the JVM. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}

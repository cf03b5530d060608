package org.chartproof.server.ledger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one task on its own daemon thread, with a fixed delay between runs, while the application
 * runs. A failed run is logged (type and message only: they carry ids and counts, never resource
 * content) and the task runs again after the next delay.
 */
public final class BackgroundLoop implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

  private final String name;
  private final Duration interval;
  private final Runnable task;
  private ScheduledExecutorService executor;

  /**
   * @param name the thread's name, also used in log messages
   */
  public BackgroundLoop(String name, Duration interval, Runnable task) {
    this.name = name;
    this.interval = interval;
    this.task = task;
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("{} failed, will retry: {}", name, e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}

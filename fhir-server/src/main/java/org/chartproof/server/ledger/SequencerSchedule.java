package org.chartproof.server.ledger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs the sequencer on one background thread while the application runs. */
final class SequencerSchedule implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SequencerSchedule.class);

  private final Sequencer sequencer;
  private final Duration interval;
  private ScheduledExecutorService executor;

  SequencerSchedule(Sequencer sequencer, Duration interval) {
    this.sequencer = sequencer;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "ledger-sequencer");
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        this::integrateQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void integrateQuietly() {
    try {
      // drain a backlog without waiting an interval between full batches
      while (sequencer.integrate().isPresent() && !Thread.currentThread().isInterrupted()) {
        // each call integrates up to one batch and signs its checkpoint
      }
    } catch (RuntimeException e) {
      // entries stay pending and are integrated on the next run; only the type and message are
      // logged (they carry table and node ids, never resource content)
      log.error("Ledger integration failed, will retry: {}", e.toString());
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

package org.chartproof.server.consent;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The consent epoch ({@link ConsentEpochs}) as this instance knows it, so that a request does not
 * read it from the database: a revocation still holds from the very next request on every instance
 * (docs/adr/0007-consent-enforcement.md, "The epoch without a read per request").
 *
 * <ul>
 *   <li>The instance registers in the database and reads the epoch every {@code refresh}, each time
 *       recording the epoch it has seen and counting a heartbeat.
 *   <li>It trusts an epoch it read for {@code lease} from the moment it started reading it,
 *       measured on its own monotonic clock; once its lease has lapsed (the database unreachable,
 *       the process paused), each request reads the epoch again ({@link #current}).
 *   <li>A Consent write, once committed, answers only after every registered instance has seen its
 *       epoch, or has not beaten for {@code lease + refresh} on the writer's clock, by which time
 *       the silent instance's own lease has lapsed; the writer then forgets it, and it has to
 *       register again before it trusts an epoch ({@link #awaitSeen}).
 * </ul>
 *
 * <p>Why that suffices: an instance that misses a write's epoch {@code E} read its epoch before
 * {@code E} committed, so before the writer first looked at its heartbeat; its lease ends within
 * {@code lease} of that read, before the writer stops waiting for it. An instance that registers
 * after the writer looked reads its first trusted epoch after its registration committed, so after
 * {@code E} did. No clocks are compared between machines, only lengths of time on each.
 */
final class EpochLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EpochLease.class);

  /** An epoch this instance read, and until when (its monotonic clock) it may be trusted. */
  private record Known(long epoch, long trustedUntil) {}

  private final ConsentEpochs epochs;
  private final TransactionOperations separately;
  private final String instanceId = UUID.randomUUID().toString();
  private final long refreshNanos;
  private final long leaseNanos;
  private final LongSupplier nanoTime;
  private final AtomicReference<Known> known;
  private final ScheduledExecutorService refresher;
  private boolean registered;
  private boolean failing;

  /**
   * Registers this instance and starts refreshing the epoch every {@code refresh}.
   *
   * @param separately runs {@link #awaitSeen}'s reads and writes in transactions of their own: it
   *     is called after a write's transaction committed, while that transaction's connection is
   *     still bound to the thread
   * @param lease how long an epoch read is trusted; at least twice {@code refresh}
   */
  static EpochLease start(
      ConsentEpochs epochs, TransactionOperations separately, Duration refresh, Duration lease) {
    EpochLease epochLease = new EpochLease(epochs, separately, refresh, lease, System::nanoTime);
    ScheduledExecutorService refresher = epochLease.refresher;
    refresher.scheduleWithFixedDelay(
        epochLease::refresh, 0, refresh.toNanos(), TimeUnit.NANOSECONDS);
    return epochLease;
  }

  /**
   * Without a refresher: the caller calls {@link #refresh} (tests).
   *
   * @param nanoTime the monotonic clock leases are measured on
   */
  EpochLease(
      ConsentEpochs epochs,
      TransactionOperations separately,
      Duration refresh,
      Duration lease,
      LongSupplier nanoTime) {
    if (lease.compareTo(refresh.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("the epoch lease must be at least twice its refresh");
    }
    this.epochs = epochs;
    this.separately = separately;
    this.refreshNanos = refresh.toNanos();
    this.leaseNanos = lease.toNanos();
    this.nanoTime = nanoTime;
    this.known = new AtomicReference<>(new Known(0, nanoTime.getAsLong()));
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "consent-epoch-lease");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * The epoch for a request starting now: the one this instance knows while its lease holds, else
   * the database's (one primary-key read).
   */
  long current() {
    Known now = known.get();
    if (nanoTime.getAsLong() - now.trustedUntil() < 0) {
      return now.epoch();
    }
    return Math.max(now.epoch(), epochs.current());
  }

  /**
   * Reads the epoch and records in the database that this instance has seen it. Called every {@code
   * refresh}; a failure leaves the lease to lapse (and is logged once, until it recovers).
   */
  synchronized void refresh() {
    try {
      long started = nanoTime.getAsLong();
      long epoch = epochs.current();
      if (registered && epochs.heartbeat(instanceId, epoch)) {
        known.updateAndGet(k -> new Known(Math.max(k.epoch(), epoch), started + leaseNanos));
      } else {
        // not (or no longer) registered: a writer may have committed without waiting for this
        // instance, so the epoch read before the registration committed is not trusted
        epochs.forget(instanceId);
        epochs.register(instanceId, epoch);
        registered = true;
      }
      if (failing) {
        log.info("Consent epoch lease: refreshed again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn(
            "Consent epoch lease: the epoch could not be refreshed; requests read it from the"
                + " database until it can",
            e);
        failing = true;
      }
    }
  }

  /**
   * A Consent write of this instance committed {@code epoch}: this instance's next requests use it.
   */
  void committed(long epoch) {
    known.updateAndGet(k -> new Known(Math.max(k.epoch(), epoch), k.trustedUntil()));
  }

  /**
   * Waits until every registered instance has seen {@code epoch}, a committed one, or has been
   * silent (no heartbeat) for longer than its lease, and forgets the silent ones.
   */
  void awaitSeen(long epoch) {
    committed(epoch);
    long silentFor = leaseNanos + refreshNanos;
    long poll = Math.max(Duration.ofMillis(2).toNanos(), refreshNanos / 4);
    Map<String, long[]> beats = new HashMap<>(); // instance -> {beat, first seen at}
    while (true) {
      long now = nanoTime.getAsLong();
      boolean waiting = false;
      List<ConsentEpochs.Instance> instances = separately.execute(status -> epochs.instances());
      for (ConsentEpochs.Instance instance : instances) {
        if (instance.seenEpoch() >= epoch || instance.id().equals(instanceId)) {
          continue; // this instance took the epoch above, before its row records it
        }
        long[] seen = beats.get(instance.id());
        if (seen == null || seen[0] != instance.beat()) {
          beats.put(instance.id(), new long[] {instance.beat(), now});
          waiting = true;
        } else if (now - seen[1] >= silentFor) {
          // its lease has lapsed: it reads the epoch per request until it registers again
          separately.executeWithoutResult(status -> epochs.forget(instance.id(), instance.beat()));
          log.info(
              "Consent epoch lease: an instance silent for longer than its lease is forgotten");
        } else {
          waiting = true;
        }
      }
      if (!waiting) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for instances to see a write");
      }
    }
  }

  /** Stops refreshing and unregisters: writers no longer wait for this instance. */
  @Override
  public void close() {
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(5, TimeUnit.SECONDS);
      synchronized (this) {
        registered = false;
        known.set(new Known(known.get().epoch(), nanoTime.getAsLong()));
        epochs.forget(instanceId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Consent epoch lease: could not unregister; writers wait out its lease", e);
    }
  }
}

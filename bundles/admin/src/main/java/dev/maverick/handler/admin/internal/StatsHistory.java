package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every handler's counters and queue depths once a second and keeps the last
 * {@value #KEEP_SECONDS} seconds: the web page draws its charts from it, and the health checks
 * read "dropped in the last minute" from it.
 */
@Component(service = StatsHistory.class)
public final class StatsHistory implements HandlerListener {
  static final int KEEP_SECONDS = 600;
  private static final Logger LOG = LoggerFactory.getLogger(StatsHistory.class);

  /** One sample: when, and the figures the charts and checks need. */
  record Sample(long epochMillis, long fed, long processed, long dropped, long errors, int inputQueue,
      int resultQueue) {
    static Sample of(HandlerStats stats, long epochMillis) {
      return new Sample(epochMillis, stats.itemsIn(), stats.processedCount(), stats.droppedCount(), stats.errorCount(),
          stats.inputQueueSize(), stats.resultQueueSize());
    }

    List<Number> asRow() {
      return List.of(epochMillis / 1000.0, fed, processed, dropped, errors, inputQueue, resultQueue);
    }
  }

  /** The names of {@link Sample#asRow()}'s columns. */
  static final List<String> COLUMNS = List.of("time", "fed", "processed", "dropped", "errors", "input_queue",
      "result_queue");

  private final HandlerAdmin admin;
  private final Map<Long, Deque<Sample>> samples = new ConcurrentHashMap<>();
  private final Map<Long, HandlerEntry> entries = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler;

  @Activate
  public StatsHistory(@Reference HandlerAdmin admin) {
    this.admin = admin;
    this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "maverick-admin-stats-sampler");
      thread.setDaemon(true);
      return thread;
    });
    admin.registry().addListener(this);
    sampler.scheduleAtFixedRate(this::sampleAll, 0, 1, TimeUnit.SECONDS);
  }

  @Deactivate
  void deactivate() {
    admin.registry().removeListener(this);
    sampler.shutdownNow();
  }

  @Override
  public void added(HandlerEntry entry) {
    entries.put(entry.id(), entry);
    samples.computeIfAbsent(entry.id(), id -> new ArrayDeque<>());
    sample(entry, System.currentTimeMillis());
  }

  @Override
  public void modified(HandlerEntry entry) {
    // the same handler, keyed by service id: its history carries over a rename
  }

  @Override
  public void removed(HandlerEntry entry) {
    entries.remove(entry.id());
    samples.remove(entry.id());
  }

  private void sampleAll() {
    long now = System.currentTimeMillis();
    try {
      entries.values().forEach(entry -> sample(entry, now));
    } catch (RuntimeException e) {
      LOG.warn("sampling handler stats failed: {}", e.toString(), e);
    }
  }

  private void sample(HandlerEntry entry, long now) {
    Deque<Sample> history = samples.get(entry.id());
    if (history == null) {
      return;
    }
    Sample sample = Sample.of(entry.handler().stats(), now);
    synchronized (history) {
      history.addLast(sample);
      while (!history.isEmpty() && history.peekFirst().epochMillis() < now - KEEP_SECONDS * 1000L) {
        history.removeFirst();
      }
    }
  }

  /** The samples of the last {@code window}, oldest first. */
  List<Sample> samples(HandlerEntry entry, Duration window) {
    Deque<Sample> history = samples.get(entry.id());
    if (history == null) {
      return List.of();
    }
    long since = System.currentTimeMillis() - window.toMillis();
    List<Sample> recent = new ArrayList<>();
    synchronized (history) {
      for (Sample sample : history) {
        if (sample.epochMillis() >= since) {
          recent.add(sample);
        }
      }
    }
    return recent;
  }

  /**
   * How many items the handler dropped in the last {@code window}: now against the newest sample at
   * least that old. A handler younger than the window counts from zero; one older than the history
   * counts from the oldest sample.
   */
  long droppedWithin(HandlerEntry entry, HandlerStats now, Duration window) {
    long cutoff = System.currentTimeMillis() - window.toMillis();
    if (!now.createdAt().isBefore(Instant.ofEpochMilli(cutoff))) {
      return now.droppedCount();
    }
    Deque<Sample> history = samples.get(entry.id());
    Optional<Sample> baseline = Optional.empty();
    if (history != null) {
      synchronized (history) {
        for (Sample sample : history) {
          if (baseline.isEmpty() || sample.epochMillis() <= cutoff) {
            baseline = Optional.of(sample);
          }
        }
      }
    }
    return baseline.map(sample -> Math.max(0, now.droppedCount() - sample.dropped())).orElse(0L);
  }
}

package dev.maverick.handler.kafka.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A source's figures over its whole life (its poll loop is replaced when the configuration changes
 * where it reads from): records fetched, published, settled, redelivered, commits, rebalances,
 * pauses.
 */
final class SourceCounters {
  final LongAdder fetched = new LongAdder();
  final LongAdder published = new LongAdder();
  final LongAdder settled = new LongAdder();
  final LongAdder staleSettles = new LongAdder();
  final LongAdder redelivered = new LongAdder();
  final LongAdder abandoned = new LongAdder();
  final LongAdder commits = new LongAdder();
  final LongAdder commitFailures = new LongAdder();
  final LongAdder rebalances = new LongAdder();
  final LongAdder pauses = new LongAdder();
  volatile long lastCommitAt;
  volatile String lastCommitError;

  /** The figures, with the names the stats show. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("fetched", fetched.sum());
    map.put("published", published.sum());
    map.put("settled", settled.sum());
    map.put("redelivered", redelivered.sum());
    map.put("abandoned_on_rebalance", abandoned.sum());
    map.put("stale_settles", staleSettles.sum());
    map.put("commits", commits.sum());
    map.put("commit_failures", commitFailures.sum());
    map.put("last_commit_at", lastCommitAt == 0 ? null : lastCommitAt / 1000.0);
    map.put("last_commit_error", lastCommitError);
    map.put("rebalances", rebalances.sum());
    map.put("pauses", pauses.sum());
    return map;
  }
}

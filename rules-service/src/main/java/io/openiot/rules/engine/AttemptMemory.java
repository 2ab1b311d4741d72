package io.openiot.rules.engine;

import java.util.HashSet;
import java.util.Set;

/**
 * What one consumer thread remembers while it retries one batch: the ids of the outputs that already landed (so that a
 * retry redoes only the failed actions), and since when the batch has been failing. Not thread-safe: each consumer
 * thread has its own; the container hands a retried batch back to the same thread.
 */
final class AttemptMemory {

    private final Set<String> done = new HashSet<>();
    private String batchIdentity;
    private long failingSince = -1;
    private int attempts;

    /** Starts afresh when a different batch arrives (the previous one succeeded, or was given up by a rebalance). */
    void begin(String identity) {
        if (!identity.equals(batchIdentity)) {
            clear();
            batchIdentity = identity;
        }
        attempts++;
    }

    boolean isDone(String id) {
        return done.contains(id);
    }

    void markDone(String id) {
        done.add(id);
    }

    int doneCount() {
        return done.size();
    }

    /** Notes a failed attempt; true on the first one of this batch. */
    boolean failed(long now) {
        if (failingSince < 0) {
            failingSince = now;
            return true;
        }
        return false;
    }

    boolean isFailing() {
        return failingSince >= 0;
    }

    long failingForMillis(long now) {
        return failingSince < 0 ? 0 : now - failingSince;
    }

    int attempts() {
        return attempts;
    }

    void clear() {
        done.clear();
        batchIdentity = null;
        failingSince = -1;
        attempts = 0;
    }
}

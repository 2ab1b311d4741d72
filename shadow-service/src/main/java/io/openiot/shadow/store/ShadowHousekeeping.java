package io.openiot.shadow.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Background work on one thread: sends outbox messages a crash or a Kafka outage left behind, and trims the history
 * (by age and by count per shadow) and the ids of applied requests.
 */
@Component
class ShadowHousekeeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShadowHousekeeping.class);
    /** Messages younger than this are still being sent by the request that wrote them. */
    private static final Duration OUTBOX_GRACE = Duration.ofSeconds(10);

    private final ShadowService service;
    private final ShadowStore store;
    private final ShadowProperties properties;
    private final Clock clock;
    private ScheduledExecutorService executor;

    ShadowHousekeeping(ShadowService service, ShadowStore store, ShadowProperties properties, Clock clock) {
        this.service = service;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** Sends what is left in the outbox; returns the number of messages sent. */
    int relayOutbox() {
        return service.relayOutbox(clock.instant().minus(OUTBOX_GRACE));
    }

    /** Applies the retention settings once; returns the number of versions removed. */
    int cleanUp() {
        Instant now = clock.instant();
        int removed = store.deleteVersionsOlderThan(now.minus(properties.history().maxAge()));
        removed += store.deleteVersionsBeyond(properties.history().maxVersions());
        store.deleteRequestsOlderThan(now.minus(properties.requestRetention()));
        return removed;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "shadow-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        long relay = properties.outboxRelayInterval().toMillis();
        long cleanup = properties.history().cleanupInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> run("outbox relay", this::relayOutbox), relay, relay,
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> run("history cleanup", this::cleanUp), cleanup, cleanup,
                TimeUnit.MILLISECONDS);
    }

    private static void run(String what, java.util.function.IntSupplier task) {
        try {
            int count = task.getAsInt();
            if (count > 0) {
                log.info("{}: {}", what, count);
            }
        } catch (RuntimeException e) {
            // the database or Kafka may be away for a while; the next run tries again
            log.warn("{} failed: {}", what, e.toString());
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

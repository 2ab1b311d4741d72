package io.openiot.web.security;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Fetches the revocation list every {@code iot.security.revocation-poll-interval} (20 s by default), so that a
 * revoked client or key is refused within a minute. A failed poll keeps the last list in force.
 */
final class RevocationPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RevocationPoller.class);

    private final RevocationSource source;
    private final RevocationList list;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private volatile boolean lastFailed;

    RevocationPoller(RevocationSource source, RevocationList list, Duration interval) {
        this.source = source;
        this.list = list;
        this.interval = interval;
    }

    void pollOnce() {
        try {
            source.fetch().ifPresent(list::update);
            if (lastFailed) {
                log.info("revocation list fetched again");
            }
            lastFailed = false;
        } catch (RuntimeException e) {
            if (!lastFailed) {
                log.warn("revocation list could not be fetched, the last one stays in force: {}", e.toString());
            }
            lastFailed = true;
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "iot-revocation-poller");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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

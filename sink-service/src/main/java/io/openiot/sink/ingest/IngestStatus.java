package io.openiot.sink.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether ingest is held up by the database, for the log, the metrics and readiness (health component
 * {@code ingest}, part of the readiness group): DOWN while a misconfiguration (a missing table, a revoked
 * privilege) stops every write, since no restart or wait will fix it; an unreachable database already shows as
 * {@code db} DOWN.
 */
@Component("ingest")
class IngestStatus implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(IngestStatus.class);

    private final Clock clock;
    private final Map<WriteFailure, Counter> retries = new EnumMap<>(WriteFailure.class);

    private volatile Instant failingSince;
    private volatile WriteFailure lastFailure;
    private volatile String lastReason;
    private volatile int attempts;

    IngestStatus(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        for (WriteFailure failure : new WriteFailure[] {WriteFailure.UNAVAILABLE, WriteFailure.MISCONFIGURED}) {
            retries.put(failure, Counter.builder("sink.write.retries")
                    .description("Failed writes of a batch that is kept and retried, by cause")
                    .tag("cause", failure.name().toLowerCase()).register(registry));
        }
        Gauge.builder("sink.write.stalled.seconds", this, IngestStatus::stalledSeconds)
                .description("How long writes have been failing; 0 while they succeed").register(registry);
    }

    /** A write of a batch of {@code records} failed and the batch will be retried. */
    synchronized void retrying(StorageUnavailableException failure, int records, int attempt) {
        Instant now = clock.instant();
        if (failingSince == null) {
            failingSince = now;
        }
        attempts = attempt;
        lastFailure = failure.failure();
        lastReason = failure.getMessage();
        retries.get(failure.failure()).increment();
        long waited = Duration.between(failingSince, now).toSeconds();
        if (failure.failure() == WriteFailure.MISCONFIGURED) {
            // loud: nothing gets stored until somebody fixes the schema, the grants or the credentials
            log.error("Sink cannot write: the database refuses the statements ({}); a batch of {} records is kept and "
                    + "retried (attempt {}, {} s so far) until the configuration is fixed", failure.getMessage(),
                    records, attempt, waited);
        } else {
            log.warn("Database unavailable ({}); a batch of {} records is kept and retried (attempt {}, {} s so far), "
                    + "the consumer paused", failure.getMessage(), records, attempt, waited);
        }
    }

    /** A batch was written; ends a stall if there was one. */
    void written() {
        if (failingSince == null) {
            return;
        }
        synchronized (this) {
            if (failingSince != null) {
                log.info("Database takes writes again after {} s and {} failed attempts ({})",
                        Duration.between(failingSince, clock.instant()).toSeconds(), attempts, lastFailure);
                failingSince = null;
                lastFailure = null;
                lastReason = null;
                attempts = 0;
            }
        }
    }

    private double stalledSeconds() {
        Instant since = failingSince;
        return since == null ? 0 : Duration.between(since, clock.instant()).toMillis() / 1000.0;
    }

    @Override
    public Health health() {
        WriteFailure failure = lastFailure;
        Instant since = failingSince;
        if (failure == null || since == null) {
            return Health.up().build();
        }
        Health.Builder health = failure == WriteFailure.MISCONFIGURED ? Health.down() : Health.up();
        return health.withDetail("failingSince", since.toString()).withDetail("cause", failure.name())
                .withDetail("attempts", attempts).withDetail("reason", String.valueOf(lastReason)).build();
    }
}

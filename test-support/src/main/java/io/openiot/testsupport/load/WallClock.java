package io.openiot.testsupport.load;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Epoch microseconds that never go backwards within this JVM: the wall clock read once, advanced by
 * {@link System#nanoTime()}. Publishers stamp with it and the subscriber (same JVM) reads it, so end-to-end latency is
 * not disturbed by clock adjustments during a run; it stays within milliseconds of the sink's wall clock.
 */
final class WallClock {

    private static final long BASE_NANOS = System.nanoTime();
    private static final long BASE_MICROS = epochMicrosNow();

    private WallClock() {
    }

    static long epochMicros() {
        return BASE_MICROS + TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - BASE_NANOS);
    }

    private static long epochMicrosNow() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000;
    }
}

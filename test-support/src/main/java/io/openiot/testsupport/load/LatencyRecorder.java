package io.openiot.testsupport.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A thread-safe latency histogram of fixed size: values in nanoseconds go into log-linear buckets (64 buckets per power
 * of two), so a percentile is within 1/64 (about 1.6 %) of the true value whatever the number of samples, and
 * memory does not grow with the run. Count, minimum and maximum are exact.
 */
final class LatencyRecorder {

    /** Values below 2^7 get a bucket each; above, each power of two is split into 64 buckets of equal width. */
    private static final int EXACT_BITS = 7;
    private static final int EXACT = 1 << EXACT_BITS;
    private static final int HALF = EXACT / 2;
    private static final int MAGNITUDES = 63 - EXACT_BITS + 1;

    private final AtomicLongArray buckets = new AtomicLongArray(EXACT + MAGNITUDES * HALF);
    private final AtomicLong count = new AtomicLong();
    private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final AtomicLong negative = new AtomicLong();

    /** Records one latency; a negative value (clocks that disagree) is counted apart and recorded as 0. */
    void record(long nanos) {
        if (nanos < 0) {
            negative.incrementAndGet();
            nanos = 0;
        }
        buckets.incrementAndGet(indexOf(nanos));
        count.incrementAndGet();
        max.accumulate(nanos);
        min.accumulate(nanos);
    }

    long count() {
        return count.get();
    }

    /** Samples that were negative before being recorded as 0. */
    long negativeCount() {
        return negative.get();
    }

    long maxNanos() {
        return count() == 0 ? 0 : max.get();
    }

    long minNanos() {
        return count() == 0 ? 0 : min.get();
    }

    /**
     * The smallest recorded value that at least {@code percentile} % of the samples do not exceed (nearest rank), as
     * the upper edge of its bucket, never above the true maximum. 0 when nothing was recorded.
     */
    long percentileNanos(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100: " + percentile);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int index = 0; index < buckets.length(); index++) {
            seen += buckets.get(index);
            if (seen >= rank) {
                return Math.max(minNanos(), Math.min(upperEdgeOf(index), maxNanos()));
            }
        }
        return maxNanos();
    }

    static int indexOf(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(value) - EXACT_BITS + 1;
        long top = value >>> magnitude; // within HALF .. EXACT - 1
        return EXACT + (magnitude - 1) * HALF + (int) (top - HALF);
    }

    /** The largest value that falls into bucket {@code index}. */
    static long upperEdgeOf(int index) {
        if (index < EXACT) {
            return index;
        }
        int magnitude = (index - EXACT) / HALF + 1;
        long top = (index - EXACT) % HALF + HALF;
        return (top << magnitude) + ((1L << magnitude) - 1);
    }
}

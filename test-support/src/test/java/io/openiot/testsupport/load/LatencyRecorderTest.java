package io.openiot.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LatencyRecorderTest {

    @Test
    void anEmptyRecorderReportsZeros() {
        LatencyRecorder recorder = new LatencyRecorder();
        assertThat(recorder.count()).isZero();
        assertThat(recorder.percentileNanos(50)).isZero();
        assertThat(recorder.maxNanos()).isZero();
    }

    @Test
    void smallValuesAreExact() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long value = 1; value <= 100; value++) {
            recorder.record(value);
        }
        assertThat(recorder.percentileNanos(50)).isEqualTo(50);
        assertThat(recorder.percentileNanos(99)).isEqualTo(99);
        assertThat(recorder.percentileNanos(100)).isEqualTo(100);
        assertThat(recorder.percentileNanos(0)).isEqualTo(1);
        assertThat(recorder.minNanos()).isEqualTo(1);
        assertThat(recorder.maxNanos()).isEqualTo(100);
    }

    @Test
    void percentilesUseTheNearestRankWithinTheBucketPrecision() {
        LatencyRecorder recorder = new LatencyRecorder();
        // 1 ms .. 1000 ms in 1 ms steps, shuffled
        List<Long> values = new ArrayList<>();
        for (long millis = 1; millis <= 1000; millis++) {
            values.add(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        java.util.Collections.shuffle(values, new Random(7));
        values.forEach(recorder::record);

        assertThat((double) recorder.percentileNanos(50)).isCloseTo(500e6, within(500e6 / 64));
        assertThat((double) recorder.percentileNanos(99)).isCloseTo(990e6, within(990e6 / 64));
        assertThat(recorder.percentileNanos(99)).isGreaterThanOrEqualTo(990_000_000L);
        assertThat(recorder.maxNanos()).isEqualTo(1_000_000_000L);
        assertThat(recorder.percentileNanos(100)).isEqualTo(1_000_000_000L);
    }

    @Test
    void aPercentileIsNeverBelowTheTrueValueNorMoreThanOneBucketAbove() {
        Random random = new Random(42);
        long[] values = new long[20_000];
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 1 µs to about 10 s, like real latencies with a tail
            values[i] = (long) Math.pow(10, 3 + random.nextDouble() * 7);
            recorder.record(values[i]);
        }
        Arrays.sort(values);
        for (double percentile : new double[] {1, 25, 50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(percentile / 100 * values.length) - 1];
            long estimate = recorder.percentileNanos(percentile);
            assertThat(estimate).as("p%s", percentile).isGreaterThanOrEqualTo(exact);
            assertThat((double) estimate).as("p%s", percentile).isLessThanOrEqualTo(exact * (1 + 1.0 / 64));
        }
    }

    @Test
    void everyValueFallsIntoABucketWhoseUpperEdgeIsNotBelowIt() {
        long[] values = {0, 1, 127, 128, 129, 255, 256, 1_000_000, 123_456_789, Long.MAX_VALUE / 3, Long.MAX_VALUE};
        for (long value : values) {
            int index = LatencyRecorder.indexOf(value);
            assertThat(LatencyRecorder.upperEdgeOf(index)).as("value %d", value).isGreaterThanOrEqualTo(value);
            if (index > 0) {
                assertThat(LatencyRecorder.upperEdgeOf(index - 1)).as("value %d", value).isLessThan(value);
            }
        }
    }

    @Test
    void negativeSamplesAreCountedApartAndRecordedAsZero() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(10);
        assertThat(recorder.negativeCount()).isEqualTo(1);
        assertThat(recorder.count()).isEqualTo(2);
        assertThat(recorder.percentileNanos(50)).isZero();
    }

    @Test
    void aPercentileOutsideZeroToHundredIsRefused() {
        assertThatThrownBy(() -> new LatencyRecorder().percentileNanos(101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void concurrentRecordingLosesNoSample() throws InterruptedException {
        LatencyRecorder recorder = new LatencyRecorder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    recorder.record(i);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(recorder.count()).isEqualTo(200_000);
        assertThat(recorder.maxNanos()).isEqualTo(49_999);
    }
}

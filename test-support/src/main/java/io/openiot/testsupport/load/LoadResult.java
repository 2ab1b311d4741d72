package io.openiot.testsupport.load;

/**
 * What one run measured. Counts are of measured messages only: warm-up messages are sent but not counted.
 *
 * @param sent            publishes handed to the client
 * @param completed       QoS 1: PUBACKs received; QoS 0: publishes written to the socket
 * @param failed          publishes the client reported as failed
 * @param windowNanos     from the end of the warm-up to the last completion
 * @param ackLatency      QoS 1 only: publish call to PUBACK
 * @param matching        measured messages with {@code speed > 120}
 * @param received        subscriber: this run's measured messages received (redeliveries included), -1 without one
 * @param expectedReceived subscriber: how many it should get (all sent, or the matching ones when its filter does not
 *                        cover the publish topics, as for a republish topic)
 * @param endToEnd        subscriber: receive time − sentAtMicros
 * @param sink            the sink check, or null
 * @param timedOut        the publishing phase hit {@code --timeout}
 * @param loadBefore      1-minute load average before the run, or null where /proc/loadavg cannot be read
 * @param loadAfter       the same after the run
 */
record LoadResult(long sent, long completed, long failed, long warmupSent, long windowNanos,
                  LatencyRecorder ackLatency, long matching, long received, long expectedReceived,
                  LatencyRecorder endToEnd, SinkCheck.Result sink, boolean timedOut, String loadBefore,
                  String loadAfter) {

    double throughput() {
        return windowNanos <= 0 ? 0 : completed * 1e9 / windowNanos;
    }
}

package io.openiot.testsupport.load;

import java.io.PrintStream;
import java.util.Locale;

/** Prints a run's figures for a person, then one Markdown table row for docs/benchmarks.md. */
final class LoadReport {

    private LoadReport() {
    }

    static void print(PrintStream out, LoadOptions options, LoadResult result) {
        out.println();
        out.println("== MQTT load run " + options.runId() + " ==");
        line(out, "broker", options.broker().toString());
        line(out, "publishers", options.publishers() + " x QoS " + options.qos() + ", " + options.payloadBytes()
                + "-byte payloads, max in flight " + options.maxInflight()
                + (options.rate() > 0 ? ", " + options.rate() + " msg/s each" : ", unpaced"));
        line(out, "load average (1 min)", result.loadBefore() + " before, " + result.loadAfter() + " after");
        line(out, "warm-up messages", Long.toString(result.warmupSent()));
        line(out, "messages sent", Long.toString(result.sent()));
        line(out, options.qos() == 1 ? "messages acked (PUBACK)" : "messages written (QoS 0)",
                result.completed() + (result.failed() > 0 ? " (" + result.failed() + " failed)" : ""));
        line(out, "duration", String.format(Locale.ROOT, "%.2f s", result.windowNanos() / 1e9));
        line(out, "publish throughput", String.format(Locale.ROOT, "%.0f msg/s", result.throughput()));
        if (options.qos() == 1) {
            line(out, "PUBACK latency", percentiles(result.ackLatency()));
        }
        if (result.received() >= 0) {
            line(out, "subscriber (" + options.subscribe() + ", QoS " + options.subscribeQos() + ")",
                    result.received() + " received of " + result.expectedReceived() + " expected");
            line(out, "end-to-end latency", percentiles(result.endToEnd()));
        }
        if (result.sink() != null) {
            SinkCheck.Result sink = result.sink();
            line(out, "sink (" + options.sinkTable() + ")", sink.stored() + " stored of " + sink.expected()
                    + " expected" + (sink.error() != null ? " - " + sink.error() : ""));
            LatencyRecorder stored = sink.storedLatency();
            line(out, "stored latency", stored.count() == 0 ? "n/a" : String.format(Locale.ROOT,
                    "p50 %s  p99 %s  max %s ms", ms(stored.percentileNanos(50)), ms(stored.percentileNanos(99)),
                    ms(stored.maxNanos())) + (stored.negativeCount() > 0
                    ? " (" + stored.negativeCount() + " negative, clocks disagree)" : ""));
        }
        if (result.timedOut()) {
            out.println("WARNING: the publishing phase was stopped by --timeout=" + options.timeoutSeconds());
        }
        out.println();
        out.println("| QoS | publishers | payload B | sent | acked | msg/s | PUBACK p50/p99/max ms | received "
                + "| e2e p50/p99/max ms | stored | stored p50/p99 ms | load 1m |");
        out.println(markdownRow(options, result));
    }

    static String markdownRow(LoadOptions options, LoadResult result) {
        String ack = options.qos() == 1 ? triple(result.ackLatency()) : "n/a";
        String received = result.received() >= 0 ? result.received() + "/" + result.expectedReceived() : "-";
        String e2e = result.received() >= 0 ? triple(result.endToEnd()) : "-";
        String stored = result.sink() == null ? "-" : result.sink().stored() + "/" + result.sink().expected();
        String storedLatency = result.sink() == null || result.sink().storedLatency().count() == 0 ? "-"
                : ms(result.sink().storedLatency().percentileNanos(50)) + " / "
                + ms(result.sink().storedLatency().percentileNanos(99));
        return String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %.0f | %s | %s | %s | %s | %s | %s |",
                options.qos(), options.publishers(), options.payloadBytes(), result.sent(), result.completed(),
                result.throughput(), ack, received, e2e, stored, storedLatency, result.loadBefore());
    }

    private static String percentiles(LatencyRecorder recorder) {
        if (recorder.count() == 0) {
            return "n/a (no samples)";
        }
        return String.format(Locale.ROOT, "p50 %s  p99 %s  max %s ms  (%d samples)", ms(recorder.percentileNanos(50)),
                ms(recorder.percentileNanos(99)), ms(recorder.maxNanos()), recorder.count());
    }

    private static String triple(LatencyRecorder recorder) {
        if (recorder.count() == 0) {
            return "n/a";
        }
        return ms(recorder.percentileNanos(50)) + " / " + ms(recorder.percentileNanos(99)) + " / "
                + ms(recorder.maxNanos());
    }

    static String ms(long nanos) {
        double millis = nanos / 1e6;
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf(Locale.ROOT, "%-28s %s%n", label + ":", value);
    }
}

package io.openiot.testsupport.load;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one load run is told, from {@code --name=value} arguments. Every loop the run has is bounded by these numbers:
 * a message count, a duration, or at the latest {@code timeoutSeconds}.
 *
 * @param broker         MQTT broker, {@code tcp://} on a loopback address
 * @param username       MQTT user name, or null
 * @param password       MQTT password, or null
 * @param publishers     publishing clients, each with its own connection and thread
 * @param messages       measured messages per publisher, or 0 when the run is bounded by {@code durationSeconds}
 * @param durationSeconds measured publishing time, or 0 when the run is bounded by {@code messages}
 * @param qos            0 or 1, for the publishes and the subscription
 * @param payloadBytes   size of each JSON payload (at least the unpadded JSON)
 * @param topic          topic template; {@code {publisher}} becomes the publisher's id
 * @param subscribe      topic filter of the measuring subscriber, or null for none
 * @param subscribeQos   QoS of that subscription
 * @param maxInflight    outstanding publishes per publisher (QoS 1: not yet PUBACKed; QoS 0: not yet written)
 * @param warmupSeconds  publishing time before the measurement starts; those messages are flagged and not counted
 * @param rate           messages per second per publisher, 0 for as fast as the window allows
 * @param matchRatio     share of messages with {@code speed > 120}, from 0 to 1
 * @param sinkUrl        sink service base URL, {@code http://} on a loopback address, or null
 * @param sinkTable      sink table the bench rule writes to
 * @param drainSeconds   how long the subscriber may still receive after the last publish was acknowledged
 * @param sinkWaitSeconds how long to wait for the sink to hold every expected item
 * @param timeoutSeconds hard limit for the publishing phase, warm-up included
 * @param runId          tags this run's messages and publisher ids
 */
record LoadOptions(URI broker, String username, String password, int publishers, long messages, int durationSeconds,
                   int qos, int payloadBytes, String topic, String subscribe, int subscribeQos, int maxInflight,
                   int warmupSeconds, int rate, double matchRatio, URI sinkUrl, String sinkTable, int drainSeconds,
                   int sinkWaitSeconds, int timeoutSeconds, String runId) {

    static final long DEFAULT_MESSAGES = 10_000;

    /** Every option with its default ("" for none), in the order {@code --help} lists them. */
    static final Map<String, String> OPTIONS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("broker", "tcp://localhost:1883");
        options.put("username", "");
        options.put("password", "");
        options.put("publishers", "10");
        options.put("messages", "");
        options.put("duration", "");
        options.put("qos", "1");
        options.put("payload-bytes", "128");
        options.put("topic", "bench/{publisher}/telemetry");
        options.put("subscribe", "");
        options.put("subscribe-qos", "");
        options.put("max-inflight", "10");
        options.put("warmup", "0");
        options.put("rate", "0");
        options.put("match-ratio", "1.0");
        options.put("sink-url", "");
        options.put("sink-table", "bench");
        options.put("drain", "10");
        options.put("sink-wait", "60");
        options.put("timeout", "600");
        options.put("run-id", "");
        return options;
    }

    /** Thrown for {@code --help}: the caller prints the usage and stops. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help");
        }
    }

    static LoadOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg == null || arg.isBlank()) {
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 3) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            String name = arg.substring(2, equals);
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            if (values.put(name, arg.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        Map<String, String> all = new LinkedHashMap<>(OPTIONS);
        all.putAll(values);

        URI broker = LoopbackAddresses.requireLoopback("broker", all.get("broker"), "tcp");
        String sinkText = all.get("sink-url");
        URI sinkUrl = sinkText.isEmpty() ? null : LoopbackAddresses.requireLoopback("sink-url", sinkText, "http");

        long messages = all.get("messages").isEmpty() ? 0 : longValue(all, "messages", 1, 100_000_000);
        int duration = all.get("duration").isEmpty() ? 0 : intValue(all, "duration", 1, 3600);
        if (messages > 0 && duration > 0) {
            throw new IllegalArgumentException("give --messages or --duration, not both");
        }
        if (messages == 0 && duration == 0) {
            messages = DEFAULT_MESSAGES;
        }
        int qos = intValue(all, "qos", 0, 1);
        String topic = all.get("topic");
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("--topic must be a topic name without wildcards: " + topic);
        }
        String subscribe = all.get("subscribe").isEmpty() ? null : all.get("subscribe");
        String sinkTable = all.get("sink-table");
        if (!sinkTable.matches("[A-Za-z0-9_.-]{1,255}")) {
            throw new IllegalArgumentException("--sink-table is not a table name: " + sinkTable);
        }
        String runId = all.get("run-id").isEmpty() ? randomRunId() : all.get("run-id");
        if (!runId.matches("[A-Za-z0-9]{1,16}")) {
            throw new IllegalArgumentException("--run-id must be 1 to 16 letters or digits: " + runId);
        }
        double matchRatio;
        try {
            matchRatio = Double.parseDouble(all.get("match-ratio"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--match-ratio is not a number: " + all.get("match-ratio"));
        }
        if (!(matchRatio >= 0 && matchRatio <= 1)) {
            throw new IllegalArgumentException("--match-ratio must be within 0..1: " + matchRatio);
        }
        String username = all.get("username").isEmpty() ? null : all.get("username");
        String password = all.get("password").isEmpty() ? null : all.get("password");
        if (password != null && username == null) {
            throw new IllegalArgumentException("--password needs --username");
        }
        int warmup = intValue(all, "warmup", 0, 600);
        int timeout = intValue(all, "timeout", 1, 7200);
        if (duration > 0 && warmup + duration > timeout) {
            throw new IllegalArgumentException("--warmup plus --duration exceed --timeout (" + timeout + " s)");
        }
        return new LoadOptions(broker, username, password, intValue(all, "publishers", 1, 1000), messages, duration,
                qos, intValue(all, "payload-bytes", 1, 1 << 20), topic, subscribe,
                all.get("subscribe-qos").isEmpty() ? qos : intValue(all, "subscribe-qos", 0, 1),
                intValue(all, "max-inflight", 1, 65_535), warmup, intValue(all, "rate", 0, 1_000_000), matchRatio,
                sinkUrl, sinkTable, intValue(all, "drain", 0, 600), intValue(all, "sink-wait", 0, 3600), timeout,
                runId);
    }

    /** The id of publisher {@code index}: the {@code {publisher}} topic level and, in the bench rule, the hash key. */
    String publisherId(int index) {
        return runId + "-p" + index;
    }

    String topicOf(int index) {
        return topic.replace("{publisher}", publisherId(index));
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("""
                MQTT load generator: N publishers, an optional measuring subscriber, and an optional check of the
                items the sink stored. Only loopback brokers and sinks are accepted.
                Usage: --name=value ... (defaults shown)
                """);
        Map<String, String> hints = Map.of("messages", "(" + DEFAULT_MESSAGES + " unless --duration)",
                "duration", "(seconds, instead of --messages)", "subscribe-qos", "(as --qos)",
                "run-id", "(random)");
        OPTIONS.forEach((name, value) -> usage.append("  --").append(name).append('=')
                .append(value.isEmpty() ? hints.getOrDefault(name, "(none)") : value).append('\n'));
        usage.append("""
                --messages counts measured messages per publisher, after --warmup seconds of unmeasured ones.
                --topic may use {publisher}; --subscribe is a topic filter, e.g. bench/# or bench-out/#.
                --rate paces each publisher (messages/s); 0 publishes as fast as --max-inflight allows.
                """);
        return usage.toString();
    }

    private static String randomRunId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36);
    }

    private static int intValue(Map<String, String> all, String name, int min, int max) {
        return (int) longValue(all, name, min, max);
    }

    private static long longValue(Map<String, String> all, String name, long min, long max) {
        long value;
        try {
            value = Long.parseLong(all.get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a whole number: " + all.get(name));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be within " + min + ".." + max + ": " + value);
        }
        return value;
    }
}

package io.openiot.testsupport.load;

import java.nio.charset.StandardCharsets;

/**
 * The JSON each publisher sends, padded to the requested size:
 * {@code {"speed":150,"sentAt":<epoch ms>,"seq":7,"run":"ab12c","sentAtMicros":<epoch µs>,"warmup":true,"pad":"xx"}}.
 * {@code speed} is above 120 for the share of messages {@code --match-ratio} asks for, so a rule
 * {@code WHERE speed > 120} selects part or all of them. {@code sentAt} is what the sink's stored latency is measured
 * from; {@code sentAtMicros} is the same instant, finer, for the subscriber in this JVM. {@code warmup} is present only
 * on warm-up messages; {@code run} tells this run's messages from earlier ones (the sink table outlives a run).
 */
final class TelemetryPayload {

    static final int MATCH_THRESHOLD = 120;

    private TelemetryPayload() {
    }

    /** Whether message {@code seq} gets a speed above the threshold: spreads {@code ratio} evenly over the sequence. */
    static boolean matches(long seq, double ratio) {
        if (ratio >= 1) {
            return true;
        }
        return Math.floor((seq + 1) * ratio) > Math.floor(seq * ratio);
    }

    static int speedOf(long seq, double ratio) {
        return matches(seq, ratio)
                ? MATCH_THRESHOLD + 1 + (int) (seq % 80)
                : (int) (seq % (MATCH_THRESHOLD + 1));
    }

    static byte[] build(int targetBytes, long seq, double ratio, long sentAtMicros, String runId, boolean warmup) {
        StringBuilder json = new StringBuilder(Math.max(targetBytes, 128));
        json.append("{\"speed\":").append(speedOf(seq, ratio))
                .append(",\"sentAt\":").append(sentAtMicros / 1000)
                .append(",\"seq\":").append(seq)
                .append(",\"run\":\"").append(runId).append('"')
                .append(",\"sentAtMicros\":").append(sentAtMicros);
        if (warmup) {
            json.append(",\"warmup\":true");
        }
        String padField = ",\"pad\":\"";
        int padding = targetBytes - json.length() - padField.length() - 2;
        if (padding >= 0) {
            json.append(padField);
            json.append("x".repeat(padding));
            json.append('"');
        }
        json.append('}');
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What the subscriber needs from a received payload; {@code sentAtMicros} is -1 when neither time is there. */
    record Received(String runId, boolean warmup, long sentAtMicros) {
    }

    /**
     * Reads the fields back without a JSON library: the subscriber's callback thread must keep up with the publishers.
     * Tolerates re-serialised JSON (other field order, blanks after colons), as a republish action may produce.
     */
    static Received parse(byte[] payload) {
        String json = new String(payload, StandardCharsets.UTF_8);
        long micros = number(json, "sentAtMicros");
        if (micros < 0) {
            long millis = number(json, "sentAt");
            micros = millis < 0 ? -1 : millis * 1000;
        }
        int warmup = valueStart(json, "warmup");
        return new Received(text(json, "run"), warmup >= 0 && json.startsWith("true", warmup), micros);
    }

    private static int valueStart(String json, String field) {
        int key = json.indexOf('"' + field + '"');
        if (key < 0) {
            return -1;
        }
        int at = key + field.length() + 2;
        while (at < json.length() && (json.charAt(at) == ' ' || json.charAt(at) == ':')) {
            at++;
        }
        return at;
    }

    private static long number(String json, String field) {
        int at = valueStart(json, field);
        if (at < 0) {
            return -1;
        }
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        if (end == at || end - at > 18) {
            return -1;
        }
        return Long.parseLong(json, at, end, 10);
    }

    private static String text(String json, String field) {
        int at = valueStart(json, field);
        if (at < 0 || at >= json.length() || json.charAt(at) != '"') {
            return null;
        }
        int end = json.indexOf('"', at + 1);
        return end < 0 ? null : json.substring(at + 1, end);
    }
}

package io.openiot.testsupport.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a run against the platform: pages through the sink's items API ({@code GET /tables/{table}/items}) for each
 * publisher's partition key, counts the run's stored (non warm-up) messages, and measures stored latency =
 * {@code storedAt − sentAt}. The bench rule's dynamoDB action puts the message under its {@code payloadField}, so
 * {@code sentAt} is looked for under {@code item.payload} first, then at the top of the item.
 */
final class SinkCheck {

    private static final int PAGE_SIZE = 1000;
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The sink creates a table with its first item, so a 404 may only mean "nothing stored yet". */
    private static final String TABLE_MISSING = "table not found (404): ";

    /**
     * @param stored        distinct (publisher, seq) of this run found in the table
     * @param storedLatency storedAt − sentAt of each of them
     * @param error         why the check stopped early, or null
     */
    record Result(long expected, long stored, LatencyRecorder storedLatency, String error) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI baseUrl;
    private final String table;
    private final String runId;

    SinkCheck(URI baseUrl, String table, String runId) {
        this.baseUrl = baseUrl;
        this.table = table;
        this.runId = runId;
    }

    /**
     * Scans again until every expected item is there, the count has not grown for a few seconds, or {@code wait} has
     * passed; the sink may still be catching up with Kafka when the publishers finish.
     */
    Result await(List<String> partitionKeys, long expected, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Result last = scan(partitionKeys, expected, deadline);
        long lastGrowth = System.nanoTime();
        while (last.stored() < expected && (last.error() == null || last.error().startsWith(TABLE_MISSING))
                && System.nanoTime() < deadline
                && (last.stored() == 0 || System.nanoTime() - lastGrowth < QUIET_NANOS)) {
            sleepQuietly(1000);
            Result next = scan(partitionKeys, expected, deadline);
            if (next.stored() > last.stored()) {
                lastGrowth = System.nanoTime();
            }
            last = next;
        }
        return last;
    }

    Result scan(List<String> partitionKeys, long expected, long deadlineNanos) {
        LatencyRecorder latency = new LatencyRecorder();
        Set<String> seen = new HashSet<>();
        // bounded: a partition cannot hold more pages than this run could have written, plus earlier runs' slack
        long maxPages = expected / PAGE_SIZE + 1000;
        try {
            for (String partitionKey : partitionKeys) {
                String nextToken = null;
                long pages = 0;
                do {
                    if (System.nanoTime() > deadlineNanos && pages > 0) {
                        return new Result(expected, seen.size(), latency, "sink scan cut short by --sink-wait");
                    }
                    JsonNode page = page(partitionKey, nextToken);
                    if (page == null) {
                        return new Result(expected, 0, latency, TABLE_MISSING + table);
                    }
                    for (JsonNode entry : page.path("items")) {
                        count(partitionKey, entry, seen, latency);
                    }
                    JsonNode token = page.path("nextToken");
                    nextToken = token.isString() && !token.asString().isEmpty() ? token.asString() : null;
                } while (nextToken != null && ++pages < maxPages);
            }
        } catch (IOException | RuntimeException e) {
            return new Result(expected, seen.size(), latency, "sink request failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(expected, seen.size(), latency, "interrupted");
        }
        return new Result(expected, seen.size(), latency, null);
    }

    private void count(String partitionKey, JsonNode entry, Set<String> seen, LatencyRecorder latency) {
        JsonNode item = entry.path("item");
        JsonNode message = item.path("payload").isObject() ? item.path("payload") : item;
        if (!runId.equals(message.path("run").asString(null)) || message.path("warmup").asBoolean(false)) {
            return;
        }
        JsonNode sentAt = message.path("sentAt");
        JsonNode storedAt = entry.path("storedAt");
        if (!sentAt.isNumber() || !storedAt.isNumber()) {
            return;
        }
        // a QoS 1 redelivery may be stored twice; count and measure the first copy only
        if (seen.add(partitionKey + "/" + message.path("seq").asLong(-1))) {
            latency.record(TimeUnit.MILLISECONDS.toNanos(storedAt.asLong() - sentAt.asLong()));
        }
    }

    private JsonNode page(String partitionKey, String nextToken) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("partitionKey=").append(encode(partitionKey))
                .append("&limit=").append(PAGE_SIZE);
        if (nextToken != null) {
            query.append("&nextToken=").append(encode(nextToken));
        }
        URI uri = baseUrl.resolve("/tables/" + encode(table) + "/items?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET();
        // the sink's API wants a read token; taken from the environment so it stays off command lines
        String token = System.getenv("IOT_SINK_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.openiot.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sink check against a stand-in for the sink's items API, on a loopback port. */
@Timeout(30)
class SinkCheckTest {

    private HttpServer server;
    private final Map<String, List<String>> partitions = new HashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tables/", this::items);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void pagesThroughEveryPartitionAndMeasuresStoredMinusSentForThisRunOnly() {
        List<String> p0 = new ArrayList<>();
        for (int seq = 0; seq < 2500; seq++) {
            p0.add(item("r1-p0", seq, "r1", false, 1_000_000 + seq, 1_000_000 + seq + 20));
        }
        p0.add(item("r1-p0", 0, "r1", false, 1_000_000, 1_000_100)); // a redelivered copy: counted once
        p0.add(item("r1-p0", 9000, "r1", true, 1_000_000, 1_000_050)); // warm-up
        p0.add(item("r1-p0", 9001, "old", false, 1_000_000, 1_000_050)); // an earlier run
        partitions.put("r1-p0", p0);
        partitions.put("r1-p1", List.of(item("r1-p1", 0, "r1", false, 2_000_000, 2_000_040)));

        SinkCheck.Result result = check("r1").await(List.of("r1-p0", "r1-p1"), 2501, Duration.ofSeconds(10));

        assertThat(result.error()).isNull();
        assertThat(result.stored()).isEqualTo(2501);
        assertThat(result.storedLatency().count()).isEqualTo(2501);
        assertThat(result.storedLatency().percentileNanos(50)).isBetween(19_000_000L, 20_500_000L);
        assertThat(result.storedLatency().maxNanos()).isEqualTo(40_000_000L);
        assertThat(requests).anyMatch(query -> query.contains("nextToken="));
        assertThat(requests).allMatch(query -> query.contains("limit=1000"));
    }

    @Test
    void aTableThatNeverAppearsIsReportedAfterTheWait() {
        SinkCheck.Result result = new SinkCheck(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "missing", "r1").await(List.of("r1-p0"), 10, Duration.ofSeconds(2));
        assertThat(result.stored()).isZero();
        assertThat(result.error()).contains("not found");
    }

    private SinkCheck check(String runId) {
        return new SinkCheck(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "bench", runId);
    }

    private static String item(String partitionKey, long seq, String run, boolean warmup, long sentAt, long storedAt) {
        String payload = "{\"speed\":150,\"sentAt\":" + sentAt + ",\"seq\":" + seq + ",\"run\":\"" + run + "\""
                + (warmup ? ",\"warmup\":true" : "") + "}";
        return "{\"partitionKey\":\"" + partitionKey + "\",\"sortKey\":\"" + storedAt + "\",\"timestamp\":" + storedAt
                + ",\"storedAt\":" + storedAt + ",\"item\":{\"car\":\"" + partitionKey + "\",\"payload\":" + payload
                + "}}";
    }

    /** GET /tables/bench/items?partitionKey=&limit=&nextToken= with the token being the next offset. */
    private void items(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(query);
        if (!exchange.getRequestURI().getPath().equals("/tables/bench/items")) {
            send(exchange, 404, "{\"code\":\"ResourceNotFoundException\"}");
            return;
        }
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        List<String> all = partitions.getOrDefault(parameters.get("partitionKey"), List.of());
        int limit = Integer.parseInt(parameters.get("limit"));
        int from = parameters.containsKey("nextToken") ? Integer.parseInt(parameters.get("nextToken")) : 0;
        int to = Math.min(all.size(), from + limit);
        String next = to < all.size() ? "\"" + to + "\"" : "null";
        send(exchange, 200, "{\"items\":[" + String.join(",", all.subList(from, to)) + "],\"count\":" + (to - from)
                + ",\"nextToken\":" + next + "}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

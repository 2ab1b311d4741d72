package io.openiot.rules.lookup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server answering as shadow-service's {@code GET /things/{thing}/shadow[?name=]} and sink-service's
 * {@code GET /tables/{table}/items/{pk}[/{sk}]} do: the document, the item view ({@code partitionKey}, {@code
 * sortKey}, {@code timestamp}, {@code storedAt}, {@code item}), 404 problem details with {@code x-amzn-ErrorType},
 * and 401 without a bearer token. It can be told to fail with a status or to answer late. It records each request
 * with the token's subject and scope.
 */
public final class ShadowAndSinkEndpoint implements AutoCloseable {

    private static ShadowAndSinkEndpoint shared;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, String> shadows = new ConcurrentHashMap<>();
    private final Map<String, String> items = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile int failWith;
    private volatile long delayMillis;

    private ShadowAndSinkEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "shadow-and-sink-endpoint");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static ShadowAndSinkEndpoint start() {
        return new ShadowAndSinkEndpoint();
    }

    /** The one the Spring tests' shared context points its lookups at. */
    public static synchronized ShadowAndSinkEndpoint shared() {
        if (shared == null) {
            shared = new ShadowAndSinkEndpoint();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "shadow-and-sink-endpoint-stop"));
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @param shadowName null for the classic shadow */
    public void putShadow(String thing, String shadowName, String document) {
        shadows.put(thing + "?" + (shadowName == null ? "" : shadowName), document);
    }

    /** @param sortKey null for a table without a sort key */
    public void putItem(String table, String partitionKey, String sortKey, String item) {
        items.put(table + "/" + partitionKey + (sortKey == null ? "" : "/" + sortKey), item);
    }

    /** Every request from now on is answered with this status (0: answer normally). */
    public void failWith(int status) {
        failWith = status;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    /** "GET <path>?<query> sub=<subject> scope=<scope>" per request. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " "
                    + subjectAndScope(authorization));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                problem(exchange, 401, "UnauthorizedException", "Full authentication is required");
                return;
            }
            if (failWith != 0) {
                problem(exchange, failWith, "ServiceUnavailableException", "try later");
                return;
            }
            String[] parts = path.substring(1).split("/");
            if (parts.length == 3 && parts[0].equals("things") && parts[2].equals("shadow")) {
                String name = query != null && query.startsWith("name=") ? decode(query.substring(5)) : "";
                String document = shadows.get(decode(parts[1]) + "?" + name);
                if (document == null) {
                    problem(exchange, 404, "ResourceNotFoundException", "No shadow exists with name: '"
                            + decode(parts[1]) + (name.isEmpty() ? "" : "~" + name) + "'");
                } else {
                    reply(exchange, 200, document);
                }
                return;
            }
            if ((parts.length == 4 || parts.length == 5) && parts[0].equals("tables") && parts[2].equals("items")) {
                String key = decode(parts[1]) + "/" + decode(parts[3]) + (parts.length == 5 ? "/" + decode(parts[4]) : "");
                String item = items.get(key);
                if (item == null) {
                    problem(exchange, 404, "ResourceNotFoundException", "No item with that key in table '"
                            + decode(parts[1]) + "'");
                } else {
                    reply(exchange, 200, "{\"partitionKey\":" + JSON.writeValueAsString(decode(parts[3]))
                            + (parts.length == 5 ? ",\"sortKey\":" + JSON.writeValueAsString(decode(parts[4])) : "")
                            + ",\"timestamp\":1714564800000,\"storedAt\":1714564800100,\"item\":" + item + "}");
                }
                return;
            }
            problem(exchange, 404, "ResourceNotFoundException", "No static resource " + path);
        }
    }

    private static String subjectAndScope(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "sub=- scope=-";
        }
        String[] jwt = authorization.substring(7).split("\\.");
        if (jwt.length != 3) {
            return "sub=? scope=?";
        }
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        JsonNode scope = claims.path("scope");
        return "sub=" + claims.path("sub").asString() + " scope="
                + (scope.isArray() ? String.join(" ", scope.valueStream().map(JsonNode::asString).toList())
                : scope.asString());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void problem(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", code);
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        byte[] body = JSON.writeValueAsBytes(Map.of("type", "about:blank", "status", status, "code", code,
                "message", message, "__type", code));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

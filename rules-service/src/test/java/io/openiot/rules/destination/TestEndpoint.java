package io.openiot.rules.destination;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server in the test (the JDK's {@code com.sun.net.httpserver}) on a free port: records every request and
 * answers confirmation requests (POSTs to the base path) with 200, the others as the test says.
 */
final class TestEndpoint implements AutoCloseable {

    /** One request as received. */
    record Received(String path, Map<String, List<String>> headers, byte[] body, long atNanos) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** An answer that is never sent: the request hangs until the endpoint closes. */
    static final int NEVER = -1;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    final List<Received> confirmations = new CopyOnWriteArrayList<>();
    final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    final String base;

    /** @param answer status for the n-th (0-based) data request */
    TestEndpoint(String path, Function<Integer, Integer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext(path, exchange -> handle(exchange, path, answer));
        server.start();
        base = "http://localhost:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange, String path, Function<Integer, Integer> answer) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Received received = new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                body, System.nanoTime());
        int status;
        if (received.path().equals(path)) {
            confirmations.add(received);
            status = 200;
        } else {
            int index;
            synchronized (requests) {
                index = requests.size();
                requests.add(received);
            }
            status = answer.apply(index);
        }
        if (status == NEVER) {
            try {
                closing.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
        if (!received.path().equals(path)) {
            answered.incrementAndGet();
        }
    }

    /** Data requests answered so far (whatever the status). */
    int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}

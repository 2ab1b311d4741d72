package io.openiot.rules.destination;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.rules.action.ActionFailedException;
import io.openiot.rules.action.ActionInvocation;
import io.openiot.rules.action.HttpActionSender;
import io.openiot.rules.action.LateFailureHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends {@code http} actions, each destination on its own bounded queue and threads ({@code queue-capacity},
 * {@code concurrency}), so that a slow or dead endpoint delays only the rules that send to it. The engine only queues
 * a request and moves on; its attempts (at most {@code max-attempts} on 429, 5xx, timeouts and connection failures,
 * with doubling back-off) and, after the last one, the error action ({@link LateFailureHandler}) happen here.
 */
@Component
class HttpActionDispatcher implements HttpActionSender, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HttpActionDispatcher.class);
    /** Lets the receiver de-duplicate: the same on every attempt, retry and replay of one action on one message. */
    static final String MESSAGE_ID_HEADER = "x-iot-message-id";

    private final DestinationService destinations;
    private final HttpClient http;
    private final DestinationProperties properties;
    private final ObjectProvider<LateFailureHandler> lateFailures;
    private final Map<String, ThreadPoolExecutor> lanes = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter failed;
    private final Counter rejected;
    private final Counter retried;

    HttpActionDispatcher(DestinationService destinations, HttpClient destinationHttpClient,
                         DestinationProperties properties, ObjectProvider<LateFailureHandler> lateFailures,
                         MeterRegistry meters) {
        this.destinations = destinations;
        this.http = destinationHttpClient;
        this.properties = properties;
        this.lateFailures = lateFailures;
        this.delivered = outcome(meters, "delivered");
        this.failed = outcome(meters, "failed");
        this.rejected = outcome(meters, "queue-full");
        this.retried = Counter.builder("iot.rules.http.retries").description("http action attempts after the first")
                .register(meters);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("iot.rules.http.requests").tag("outcome", outcome)
                .description("http action requests by final outcome").register(meters);
    }

    @Override
    public void submit(Request request, ActionInvocation invocation) {
        Destination destination = destinations.enabled(request.action().confirmationUrl()).orElseThrow(() ->
                new ActionFailedException("no ENABLED topic rule destination for " + request.action().confirmationUrl(),
                        false, null, request.url()));
        try {
            lane(destination.arn()).execute(() -> deliver(request, invocation));
        } catch (RejectedExecutionException e) {
            rejected.increment();
            throw new ActionFailedException("the queue of destination " + destination.arn() + " is full ("
                    + properties.queueCapacity() + " requests)", properties.queueFullTransient(), e, request.url());
        }
    }

    private ThreadPoolExecutor lane(String arn) {
        return lanes.computeIfAbsent(arn, key -> {
            AtomicInteger threads = new AtomicInteger();
            String name = "http-destination-" + key.substring(key.lastIndexOf('/') + 1, key.lastIndexOf('/') + 9);
            ThreadPoolExecutor executor = new ThreadPoolExecutor(properties.concurrency(), properties.concurrency(),
                    30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.queueCapacity()), runnable -> {
                        Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.AbortPolicy());
            executor.allowCoreThreadTimeOut(true);
            return executor;
        });
    }

    private void deliver(Request request, ActionInvocation invocation) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(properties.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        boolean contentType = false;
        for (Map.Entry<String, String> header : request.headers()) {
            builder.header(header.getKey(), header.getValue());
            contentType |= header.getKey().equalsIgnoreCase("content-type");
        }
        if (!contentType) {
            builder.header("content-type", request.json() ? "application/json" : "application/octet-stream");
        }
        builder.header(MESSAGE_ID_HEADER, request.messageId());
        HttpRequest httpRequest;
        try {
            httpRequest = builder.build();
        } catch (IllegalArgumentException e) {
            finalFailure(request, invocation, "http request not valid: " + e.getMessage());
            return;
        }
        String lastError = null;
        long backoff = properties.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= properties.maxAttempts(); attempt++) {
            if (attempt > 1) {
                retried.increment();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    finalFailure(request, invocation, "interrupted after " + (attempt - 1) + " attempts: " + lastError);
                    return;
                }
                backoff *= 2;
                if (destinations.enabled(request.action().confirmationUrl()).isEmpty()) {
                    finalFailure(request, invocation, "destination no longer ENABLED after " + (attempt - 1)
                            + " attempts: " + lastError);
                    return;
                }
            }
            try {
                int status = http.send(httpRequest, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    delivered.increment();
                    return;
                }
                lastError = "HTTP " + status + " from " + request.url();
                if (status != 429 && status < 500) {
                    // the endpoint refuses this request: sending it again cannot help
                    break;
                }
            } catch (IOException e) {
                // HttpTimeoutException and connection failures are IOExceptions: retried
                lastError = e.getClass().getSimpleName() + " from " + request.url() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finalFailure(request, invocation, "interrupted: " + lastError);
                return;
            }
        }
        finalFailure(request, invocation, lastError);
    }

    private void finalFailure(Request request, ActionInvocation invocation, String error) {
        failed.increment();
        log.warn("Rule {} http action to {} failed: {}", invocation.ruleName(), request.url(), error);
        try {
            lateFailures.getObject().failed(invocation, request.action(),
                    new ActionFailedException(error, false, null, request.url()));
        } catch (RuntimeException e) {
            log.error("Rule {}: the failure of its http action to {} could not be handed on", invocation.ruleName(),
                    request.url(), e);
        }
    }

    /** Lets queued requests finish for a moment on shutdown; what is still queued then is lost (see the docs). */
    @Override
    public void destroy() throws InterruptedException {
        lanes.values().forEach(ThreadPoolExecutor::shutdown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ThreadPoolExecutor lane : lanes.values()) {
            lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        int dropped = lanes.values().stream().mapToInt(lane -> lane.shutdownNow().size()).sum();
        if (dropped > 0) {
            log.warn("{} queued http action requests were not sent before shutdown", dropped);
        }
    }
}

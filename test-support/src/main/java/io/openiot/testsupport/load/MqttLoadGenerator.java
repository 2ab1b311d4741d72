package io.openiot.testsupport.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The project's MQTT load generator. N publishers (each its own connection and thread, Paho's async client with a
 * bounded window of outstanding publishes), an optional subscriber that measures end-to-end latency, and, against the
 * platform, an optional check of what the sink stored. Loopback brokers and sinks only. Run it with
 * {@code ./mvnw -q -pl test-support exec:java -Dexec.args="--help"}.
 */
public final class MqttLoadGenerator {

    private static final long CONNECT_TIMEOUT_MS = 15_000;
    /** After the publishing phase, how long outstanding publishes may still be acknowledged. */
    private static final long COMPLETION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The subscriber stops draining once nothing new arrived for this long. */
    private static final long SUBSCRIBER_QUIET_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final LoadOptions options;
    private final LatencyRecorder ackLatency = new LatencyRecorder();
    private final LatencyRecorder endToEnd = new LatencyRecorder();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong warmupSent = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong matching = new AtomicLong();
    /** Whether the subscriber's filter takes every publisher's topic (else it gets only republished matches). */
    private final boolean subscriberCoversAll;
    private final AtomicLong completedMatching = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final LongAccumulator lastCompletion = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final AtomicLong lastReceive = new AtomicLong();
    private final AtomicBoolean timedOut = new AtomicBoolean();

    MqttLoadGenerator(LoadOptions options) {
        this.options = options;
        this.subscriberCoversAll = subscriberCoversAll(options);
    }

    public static void main(String[] args) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.HelpRequested help) {
            System.out.print(LoadOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LoadOptions.usage());
            System.exit(2);
            return;
        }
        int status;
        try {
            LoadResult result = new MqttLoadGenerator(options).run();
            LoadReport.print(System.out, options, result);
            status = result.completed() == 0 || result.failed() > 0 || result.timedOut() ? 1 : 0;
        } catch (MqttException e) {
            System.err.println("error: MQTT: " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    LoadResult run() throws MqttException, InterruptedException {
        String loadBefore = loadAverage();
        System.out.printf("run %s: %d publishers -> %s, QoS %d, %d-byte payloads, %s%n", options.runId(),
                options.publishers(), options.broker(), options.qos(), options.payloadBytes(),
                options.messages() > 0 ? options.messages() + " messages each" : options.durationSeconds() + " s");
        MqttAsyncClient subscriber = options.subscribe() == null ? null : subscribe();
        List<MqttAsyncClient> clients = new ArrayList<>();
        try {
            for (int index = 0; index < options.publishers(); index++) {
                clients.add(connect("lg-" + options.publisherId(index)));
            }
            long start = System.nanoTime();
            long warmupEnd = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
            long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
            List<Thread> threads = new ArrayList<>();
            for (int index = 0; index < clients.size(); index++) {
                Publisher publisher = new Publisher(clients.get(index), options.topicOf(index), warmupEnd, deadline);
                Thread thread = new Thread(publisher, "publisher-" + index);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))
                        + TimeUnit.NANOSECONDS.toMillis(COMPLETION_WAIT_NANOS) + 5_000);
                if (thread.isAlive()) {
                    // cannot happen with the bounds in Publisher; interrupting keeps the tool's promise to stop
                    thread.interrupt();
                    timedOut.set(true);
                }
            }
            long window = lastCompletion.get() == Long.MIN_VALUE ? 0 : lastCompletion.get() - warmupEnd;
            if (subscriber != null) {
                drainSubscriber();
            }
            SinkCheck.Result sink = null;
            if (options.sinkUrl() != null) {
                System.out.println("checking the sink table '" + options.sinkTable() + "' (up to "
                        + options.sinkWaitSeconds() + " s)...");
                List<String> partitions = new ArrayList<>();
                for (int index = 0; index < options.publishers(); index++) {
                    partitions.add(options.publisherId(index));
                }
                long expected = options.qos() == 1 ? completedMatching.get() : matching.get();
                sink = new SinkCheck(options.sinkUrl(), options.sinkTable(), options.runId())
                        .await(partitions, expected, Duration.ofSeconds(options.sinkWaitSeconds()));
            }
            return new LoadResult(sent.get(), completed.get(), failed.get(), warmupSent.get(), window, ackLatency,
                    matching.get(), subscriber == null ? -1 : received.get(), expectedReceived(), endToEnd, sink,
                    timedOut.get(), loadBefore, loadAverage());
        } finally {
            for (MqttAsyncClient client : clients) {
                closeQuietly(client);
            }
            if (subscriber != null) {
                closeQuietly(subscriber);
            }
        }
    }

    /** All measured messages when the subscriber's filter covers the publish topics, else only the matching ones. */
    private long expectedReceived() {
        return subscriberCoversAll ? sent.get() : matching.get();
    }

    private static boolean subscriberCoversAll(LoadOptions options) {
        for (int index = 0; index < options.publishers(); index++) {
            if (!TopicFilter.matches(options.subscribe() == null ? "" : options.subscribe(), options.topicOf(index))) {
                return false;
            }
        }
        return true;
    }

    /** One publisher: publishes until its count, the duration or the deadline is reached, then awaits completions. */
    private final class Publisher implements Runnable, IMqttActionListener {

        private final MqttAsyncClient client;
        private final String topic;
        private final long warmupEnd;
        private final long deadline;
        private final Semaphore window = new Semaphore(options.maxInflight());

        Publisher(MqttAsyncClient client, String topic, long warmupEnd, long deadline) {
            this.client = client;
            this.topic = topic;
            this.warmupEnd = warmupEnd;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            long measureEnd = options.durationSeconds() > 0
                    ? warmupEnd + TimeUnit.SECONDS.toNanos(options.durationSeconds()) : Long.MAX_VALUE;
            long period = options.rate() > 0 ? TimeUnit.SECONDS.toNanos(1) / options.rate() : 0;
            long nextSend = System.nanoTime();
            long seq = 0;
            long measured = 0;
            try {
                while (true) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        timedOut.set(true);
                        break;
                    }
                    boolean warmup = now - warmupEnd < 0;
                    if (!warmup && (measured >= effectiveMessages() || now - measureEnd >= 0)) {
                        break;
                    }
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue; // re-check the deadline while the broker is not acknowledging
                    }
                    // pace only once a send is certain, so a full window does not use up send slots
                    if (period > 0) {
                        nextSend = Math.max(nextSend + period, now - TimeUnit.SECONDS.toNanos(1));
                        long wait = nextSend - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(Math.min(wait, deadline - now));
                        }
                    }
                    boolean matches = TelemetryPayload.matches(seq, options.matchRatio());
                    Sample sample = new Sample(System.nanoTime(), warmup, matches);
                    byte[] payload = TelemetryPayload.build(options.payloadBytes(), seq, options.matchRatio(),
                            WallClock.epochMicros(), options.runId(), warmup);
                    try {
                        client.publish(topic, payload, options.qos(), false, sample, this);
                    } catch (MqttException e) {
                        window.release();
                        failed.incrementAndGet();
                        if (!client.isConnected()) {
                            System.err.println(Thread.currentThread().getName() + ": connection lost: " + e);
                            break;
                        }
                        continue;
                    }
                    seq++;
                    if (warmup) {
                        warmupSent.incrementAndGet();
                    } else {
                        measured++;
                        sent.incrementAndGet();
                        if (matches) {
                            matching.incrementAndGet();
                        }
                    }
                }
                // wait for the outstanding publishes, bounded
                if (!window.tryAcquire(options.maxInflight(), COMPLETION_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                    System.err.println(Thread.currentThread().getName() + ": "
                            + (options.maxInflight() - window.availablePermits()) + " publishes never completed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private long effectiveMessages() {
            return options.messages() > 0 ? options.messages() : Long.MAX_VALUE;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            long now = System.nanoTime();
            Sample sample = (Sample) token.getUserContext();
            if (!sample.warmup()) {
                completed.incrementAndGet();
                if (sample.matches()) {
                    completedMatching.incrementAndGet();
                }
                if (options.qos() == 1) {
                    ackLatency.record(now - sample.startNanos());
                }
                lastCompletion.accumulate(now);
            }
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            failed.incrementAndGet();
            window.release();
        }
    }

    /** One publish in flight: when it was handed to the client, and how to count it. */
    private record Sample(long startNanos, boolean warmup, boolean matches) {
    }

    private MqttAsyncClient subscribe() throws MqttException {
        MqttAsyncClient client = connect("lg-" + options.runId() + "-sub");
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = WallClock.epochMicros();
                TelemetryPayload.Received payload = TelemetryPayload.parse(message.getPayload());
                if (!options.runId().equals(payload.runId()) || payload.warmup()) {
                    return;
                }
                received.incrementAndGet();
                lastReceive.set(System.nanoTime());
                if (payload.sentAtMicros() >= 0) {
                    endToEnd.record(TimeUnit.MICROSECONDS.toNanos(now - payload.sentAtMicros()));
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("subscriber: connection lost: " + cause);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            IMqttToken token = client.subscribe(options.subscribe(), options.subscribeQos());
            token.waitForCompletion(CONNECT_TIMEOUT_MS);
            int[] granted = token.getGrantedQos();
            if (granted != null && granted.length > 0 && granted[0] == 0x80) {
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            }
            return client;
        } catch (MqttException e) {
            closeQuietly(client);
            throw e;
        }
    }

    /** Lets the subscriber catch up: until all expected arrived, nothing came for a while, or --drain passed. */
    private void drainSubscriber() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
        lastReceive.compareAndSet(0, System.nanoTime());
        while (received.get() < expectedReceived() && System.nanoTime() - deadline < 0
                && System.nanoTime() - lastReceive.get() < SUBSCRIBER_QUIET_NANOS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private MqttAsyncClient connect(String clientId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(options.broker().toString(), clientId, new MemoryPersistence());
        MqttConnectOptions connect = new MqttConnectOptions();
        connect.setCleanSession(true);
        connect.setAutomaticReconnect(false);
        connect.setConnectionTimeout((int) (CONNECT_TIMEOUT_MS / 1000));
        connect.setKeepAliveInterval(60);
        // Paho refuses a publish beyond its own in-flight limit: keep it above the tool's window
        connect.setMaxInflight(options.maxInflight() + 1);
        if (options.username() != null) {
            connect.setUserName(options.username());
        }
        if (options.password() != null) {
            connect.setPassword(options.password().toCharArray());
        }
        try {
            client.connect(connect).waitForCompletion(CONNECT_TIMEOUT_MS);
        } catch (MqttException e) {
            closeQuietly(client);
            throw e;
        }
        return client;
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            // the run is over; a failed disconnect changes nothing measured
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // as above
        }
    }

    /** The 1-minute load average, for the report: the numbers mean little without it on a shared machine. */
    static String loadAverage() {
        try {
            String line = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
            return line.split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}

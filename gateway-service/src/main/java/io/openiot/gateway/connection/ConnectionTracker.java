package io.openiot.gateway.connection;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.openiot.gateway.bridge.ReplicaProperties;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code client_connection} up to date from Moquette's connect and disconnect notifications. The JDBC writes
 * run on one thread of their own, in the order the notifications came, so that neither Netty nor Moquette's
 * notification thread waits for the database.
 */
@Component
public class ConnectionTracker extends AbstractInterceptHandler {

    static final String CLIENT_INITIATED_DISCONNECT = "CLIENT_INITIATED_DISCONNECT";
    static final String CONNECTION_LOST = "CONNECTION_LOST";
    static final String CLIENT_ERROR = "CLIENT_ERROR";
    static final String SERVER_INITIATED_DISCONNECT = "SERVER_INITIATED_DISCONNECT";
    static final String AUTH_ERROR = "AUTH_ERROR";

    private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);

    private final ConnectionRepository repository;
    private final ReplicaProperties replica;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gateway-connection-writer");
        thread.setDaemon(true);
        return thread;
    });
    /** Reasons the gateway knows better than Moquette, e.g. that it closed a connection for a protocol error. */
    private final Map<String, String> pendingReasons = new ConcurrentHashMap<>();

    ConnectionTracker(ConnectionRepository repository, ReplicaProperties replica, Clock clock) {
        this.repository = repository;
        this.replica = replica;
        this.clock = clock;
    }

    /** The gateway is about to close this client's connection because it broke a rule (AWS: CLIENT_ERROR). */
    public void closingForClientError(String clientId) {
        if (clientId != null) {
            pendingReasons.put(clientId, CLIENT_ERROR);
        }
    }

    /** The gateway is about to close this client's connection: its certificate or CA was revoked (AWS: AUTH_ERROR). */
    public void closingForAuthError(String clientId) {
        if (clientId != null) {
            pendingReasons.put(clientId, AUTH_ERROR);
        }
    }

    @Override
    public String getID() {
        return "gateway-connection-tracker";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        // no publish notifications: they would hold a payload buffer that must be released
        return new Class<?>[] {InterceptConnectMessage.class, InterceptDisconnectMessage.class,
                InterceptConnectionLostMessage.class};
    }

    @Override
    public void onConnect(InterceptConnectMessage message) {
        String clientId = message.getClientID();
        pendingReasons.remove(clientId);
        write(() -> repository.connected(clientId, message.getUsername(), replica.id(), clock.instant(),
                message.isCleanSession(), message.getKeepAlive()));
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage message) {
        String clientId = message.getClientID();
        pendingReasons.remove(clientId);
        disconnected(clientId, CLIENT_INITIATED_DISCONNECT);
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage message) {
        String clientId = message.getClientID();
        String reason = pendingReasons.remove(clientId);
        disconnected(clientId, reason == null ? CONNECTION_LOST : reason);
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        log.warn("Moquette session loop failed", error);
    }

    private void disconnected(String clientId, String reason) {
        write(() -> repository.disconnected(clientId, replica.id(), clock.instant(), reason));
    }

    private void write(Runnable update) {
        try {
            writer.execute(() -> {
                try {
                    update.run();
                } catch (RuntimeException e) {
                    log.warn("Could not record a connection change: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the final update below marks every remaining connection as disconnected
        }
    }

    /** Runs after the broker has stopped (the broker depends on this bean). */
    @PreDestroy
    void stop() throws InterruptedException {
        write(() -> repository.allDisconnected(replica.id(), clock.instant(), SERVER_INITIATED_DISCONNECT));
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            log.warn("Connection updates still pending at shutdown were dropped");
            writer.shutdownNow();
        }
    }
}

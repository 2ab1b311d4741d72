package io.openiot.gateway.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.ISessionsRepository;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.interception.InterceptHandler;
import io.moquette.persistence.H2Builder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.openiot.contracts.IotMessage;
import io.openiot.gateway.bridge.MessageForwarder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the embedded Moquette broker: starts it when the context starts (after the Kafka bindings, default phase) and
 * stops it first on shutdown. Authentication, authorization, forwarding and connection tracking are the beans it is
 * given.
 */
@Component
public class MqttBroker implements SmartLifecycle {

    /** The client id Moquette sees for messages that services publish to devices. */
    static final String INTERNAL_CLIENT_ID = "gateway-kafka-bridge";

    private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);

    private final MqttProperties properties;
    private final IAuthenticator authenticator;
    private final IAuthorizatorPolicy authorization;
    private final List<InterceptHandler> interceptHandlers;
    private final ForwarderInstaller forwarderInstaller;
    private final MessageForwarder forwarder;
    private volatile Server server;
    /** Moquette's H2 store when persistence is on, else null. */
    private volatile MVStore store;

    MqttBroker(MqttProperties properties, IAuthenticator authenticator, IAuthorizatorPolicy authorization,
               List<InterceptHandler> interceptHandlers, ForwarderInstaller forwarderInstaller,
               MessageForwarder forwarder) {
        this.properties = properties;
        this.authenticator = authenticator;
        this.authorization = authorization;
        this.interceptHandlers = interceptHandlers;
        this.forwarderInstaller = forwarderInstaller;
        this.forwarder = forwarder;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        forwarder.warmUp();
        if (properties.persistenceDirectory() != null) {
            repairSessionsOfAKilledBroker(properties.persistenceDirectory().toAbsolutePath());
        }
        Server broker = new Server();
        try {
            broker.startServer(new MemoryConfig(moquetteConfig()), interceptHandlers,
                    properties.tls().enabled() ? new TlsContextCreator(properties.tls()) : null, authenticator,
                    authorization);
        } catch (IOException e) {
            throw new UncheckedIOException("MQTT broker did not start on port " + properties.port(), e);
        }
        installForwarder(broker);
        store = properties.persistenceDirectory() == null ? null : findStore(broker);
        server = broker;
        log.info("MQTT broker listening on {}:{} ({})", properties.host(), properties.port(),
                store == null ? "sessions in memory" : "sessions persisted in " + properties.persistenceDirectory());
        if (properties.tls().enabled()) {
            log.info("MQTT over TLS listening on {}:{}", properties.host(), properties.tls().port());
        }
    }

    private Properties moquetteConfig() {
        Properties config = new Properties();
        config.setProperty(IConfig.HOST_PROPERTY_NAME, properties.host());
        config.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(properties.port()));
        // Moquette would otherwise report usage to an outside server at start-up
        config.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        config.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        if (properties.persistenceDirectory() == null) {
            config.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        } else {
            // persistent sessions, their subscriptions and queued QoS 1 messages survive a restart; the H2 queue
            // lives in the same MVStore as the sessions, so one commit makes both durable together
            config.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            config.setProperty(IConfig.DATA_PATH_PROPERTY_NAME,
                    properties.persistenceDirectory().toAbsolutePath().toString());
            config.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "h2");
            config.setProperty(BrokerConstants.AUTOSAVE_INTERVAL_PROPERTY_NAME,
                    Long.toString(Math.max(1, properties.autosaveInterval().toSeconds())));
        }
        config.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME,
                Long.toString(properties.maxMessageSize().toBytes()));
        // a PUBACK released after Kafka's acknowledgement should leave at once, not at the next flush tick
        config.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "immediate");
        if (properties.tls().enabled()) {
            config.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(properties.tls().port()));
            // Moquette 0.17 names no constant for it
            config.setProperty("need_client_auth", "true");
        }
        return config;
    }

    /**
     * Moquette has no hook in the publish path, so the forwarder goes where Moquette's optional metrics handler would
     * go: {@code NewNettyAcceptor.metrics} is read for every new channel and, when present, added right before
     * Moquette's own handler. Set once, before any client can have sent a PUBLISH.
     */
    private void installForwarder(Server broker) {
        try {
            Field acceptorField = Server.class.getDeclaredField("acceptor");
            acceptorField.setAccessible(true);
            Object acceptor = acceptorField.get(broker);
            Field metricsField = acceptor.getClass().getDeclaredField("metrics");
            metricsField.setAccessible(true);
            metricsField.set(acceptor, Optional.<ChannelInboundHandler>of(forwarderInstaller));
        } catch (ReflectiveOperationException | RuntimeException e) {
            broker.stopServer();
            throw new IllegalStateException("Cannot install the Kafka forwarder into Moquette "
                    + Server.MOQUETTE_VERSION + "; the gateway must not run without it", e);
        }
        // a client that slipped in between bind and installation would bypass Kafka: make it reconnect
        for (ClientDescriptor client : broker.listConnectedClients()) {
            broker.disconnectClient(client.getClientID());
        }
    }

    /**
     * Moquette 0.17 stores a session without an expiry instant while its client is connected and sets one when the
     * client disconnects; at start it refuses a stored session without one ("Can't track for expiration a session
     * without expiry instant"). After a kill every session connected at that moment is such a session, so the broker
     * would never start again on that store. Give them the expiry they would have got at disconnect, using Moquette's
     * own store classes so the file format stays Moquette's.
     */
    private static void repairSessionsOfAKilledBroker(Path directory) {
        if (!Files.exists(directory.resolve(BrokerConstants.DEFAULT_MOQUETTE_STORE_H2_DB_FILENAME))) {
            return;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            H2Builder store = new H2Builder(scheduler, directory, Integer.MAX_VALUE, Clock.systemUTC()).initStore();
            try {
                ISessionsRepository sessions = store.sessionsRepository();
                int repaired = 0;
                for (ISessionsRepository.SessionData session : List.copyOf(sessions.list())) {
                    if (session.expireAt().isEmpty()) {
                        sessions.saveSession(session.withExpirationComputed());
                        repaired++;
                    }
                }
                if (repaired > 0) {
                    log.info("{} MQTT session(s) were connected when the broker last stopped without closing them",
                            repaired);
                }
            } finally {
                store.closeStore();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * Moquette commits its MVStore only every {@code autosave_interval} and offers no call to do it sooner; the
     * delivery needs one (see {@link #flushStore()}), so the store is taken from the H2 builder Moquette keeps.
     */
    private static MVStore findStore(Server broker) {
        try {
            Field builderField = Server.class.getDeclaredField("h2Builder");
            builderField.setAccessible(true);
            Object builder = builderField.get(broker);
            Field storeField = builder.getClass().getDeclaredField("mvStore");
            storeField.setAccessible(true);
            return (MVStore) storeField.get(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            broker.stopServer();
            throw new IllegalStateException("Cannot reach the H2 store of Moquette " + Server.MOQUETTE_VERSION
                    + "; without it a crash could lose queued messages whose Kafka offsets are committed", e);
        }
    }

    /**
     * Writes what Moquette holds of its persistent sessions (subscriptions, queued messages) to its file now. After
     * it returns, a process kill loses none of it (the file's pages are in the operating system's cache). Nothing
     * to do when sessions are kept in memory.
     */
    public void flushStore() {
        MVStore current = store;
        if (current != null && !current.isClosed()) {
            current.commit();
        }
    }

    /**
     * Hands a message that came from Kafka to this broker's subscribers, with its QoS and retain flag.
     *
     * @return completed when every subscriber's session has the message (sent, or queued for an offline persistent
     *         session); empty when the broker is not running
     */
    public Optional<CompletableFuture<Void>> publishLocally(IotMessage message) {
        Server broker = server;
        if (broker == null) {
            return Optional.empty();
        }
        // built by hand: MqttMessageBuilders copies the payload into a releasable buffer
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(message.qos()),
                message.retain(), 0);
        MqttPublishMessage publish = new MqttPublishMessage(header, new MqttPublishVariableHeader(message.topic(), 0),
                storable(message.payload()));
        // Note: a retained message delivered at QoS 1 loses its RETAIN flag (0.17 bug).
        // routing to the sessions runs on Moquette's session loops; the future says when it is done
        return Optional.of(broker.internalPublish(publish, INTERNAL_CLIENT_ID).completableFuture());
    }

    /**
     * A payload for Moquette that stays readable however often Moquette releases it. Moquette's H2 store serialises a
     * queued message when it commits, on another thread than the session loop that sends, acknowledges and releases
     * the message; a payload released in between made that commit fail, which closes the whole store and stops the
     * session loops (seen in the platform's crash test: {@code Map queue_... is closed}, {@code refCnt: 0}). A heap
     * buffer needs no release: the garbage collector frees it.
     */
    static ByteBuf storable(byte[] payload) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(payload));
    }

    /** Why Moquette's session store stopped working (it closes itself on a failed write); empty while it works. */
    public Optional<Throwable> storeFailure() {
        MVStore current = store;
        return current == null ? Optional.empty() : Optional.ofNullable(current.getPanicException());
    }

    /** The MQTT port this broker listens on. */
    public int port() {
        Server broker = server;
        // getPort() right after start may still say 0; the configured port is the truth then
        int bound = broker == null ? 0 : broker.getPort();
        return bound > 0 ? bound : properties.port();
    }

    /** The MQTT over TLS port, or 0 when TLS is off. */
    public int tlsPort() {
        return properties.tls().enabled() ? properties.tls().port() : 0;
    }

    @Override
    public synchronized void stop() {
        Server broker = server;
        server = null;
        store = null;
        if (broker != null) {
            broker.stopServer();
            log.info("MQTT broker stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /**
     * After Spring Cloud Stream's bindings (phase {@code Integer.MAX_VALUE - 3000}), which create the topics the
     * forwarder's warm-up needs; the consumer that delivers to devices starts later still ({@link
     * DeviceDeliveryStarter}), once this broker listens.
     */
    @Override
    public int getPhase() {
        return PHASE;
    }

    static final int PHASE = Integer.MAX_VALUE - 1;
}

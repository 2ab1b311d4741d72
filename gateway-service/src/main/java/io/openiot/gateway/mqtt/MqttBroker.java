package io.openiot.gateway.mqtt;

import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.interception.InterceptHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.openiot.contracts.IotMessage;
import io.openiot.gateway.bridge.MessageForwarder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
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
        Server broker = new Server();
        try {
            broker.startServer(new MemoryConfig(moquetteConfig()), interceptHandlers,
                    properties.tls().enabled() ? new TlsContextCreator(properties.tls()) : null, authenticator,
                    authorization);
        } catch (IOException e) {
            throw new UncheckedIOException("MQTT broker did not start on port " + properties.port(), e);
        }
        installForwarder(broker);
        server = broker;
        log.info("MQTT broker listening on {}:{}", properties.host(), properties.port());
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
        config.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
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
     * Hands a message that came from Kafka to this broker's subscribers, with its QoS and retain flag.
     *
     * @return false when the broker is not running
     */
    public boolean publishLocally(IotMessage message) {
        Server broker = server;
        if (broker == null) {
            return false;
        }
        MqttPublishMessage publish = MqttMessageBuilders.publish()
                .topicName(message.topic())
                .qos(MqttQoS.valueOf(message.qos()))
                .retained(message.retain())
                .payload(Unpooled.wrappedBuffer(message.payload()))
                .build();
        // Moquette releases the payload. Note: a retained message delivered at QoS 1 loses its RETAIN flag (0.17 bug).
        broker.internalPublish(publish, INTERNAL_CLIENT_ID);
        return true;
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
        if (broker != null) {
            broker.stopServer();
            log.info("MQTT broker stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}

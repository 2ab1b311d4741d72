package io.openiot.gateway.mqtt;

import io.moquette.broker.NettyUtils;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.ssl.SslHandler;
import io.openiot.gateway.auth.ConnectAuthorizer;
import io.openiot.gateway.auth.ConnectDecision;
import io.openiot.gateway.auth.LiveConnections;
import io.openiot.policylang.CompiledPolicies;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import io.openiot.contracts.IotMessage;
import io.openiot.gateway.bridge.MessageForwarder;
import io.openiot.contracts.TopicNameValidator;
import io.openiot.gateway.connection.ConnectionTracker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in one connection's pipeline between the MQTT decoder and Moquette's handler, and puts each accepted PUBLISH
 * on Kafka before Moquette sees it. Moquette sends the PUBACK while handling the PUBLISH, so holding the PUBLISH back
 * until Kafka has acknowledged the record is what makes a QoS 1 PUBACK mean "stored".
 *
 * <p>Inbound messages pass to Moquette in the order they arrived: once a PUBLISH waits for Kafka, everything behind
 * it (PUBLISH, SUBSCRIBE, DISCONNECT...) waits in the queue too, except PINGREQ: its PINGRESP acknowledges no message,
 * so answering it at once reorders nothing and keeps the device's keep-alive satisfied while Kafka is slow. With
 * {@code maxPending} publishes waiting, the connection stops being read (backpressure) until half have been
 * acknowledged. A QoS 1 publish that Kafka has not acknowledged within the forwarder's timeout (or that Kafka refused)
 * closes the connection without PUBACK; the device reconnects and resends. All state is touched only on the
 * channel's event loop, and nothing here calls Kafka's producer (see {@link MessageForwarder}), so no connection
 * waits for another. A message taken off the wire belongs to this handler until passed on, so every drop releases it.
 *
 * <p>It also enforces the connection's IoT policies, which Moquette cannot: the CONNECT is held (and everything
 * behind it) until {@link ConnectAuthorizer} has decided it, on TLS from the client certificate of this very channel
 * (read from its {@link SslHandler} once the handshake is done, so no certificate can be matched to the wrong
 * connection); a refused CONNECT gets CONNACK 5 and is closed. Every PUBLISH needs {@code iot:Publish} (and
 * {@code iot:RetainPublish} when retained), every SUBSCRIBE {@code iot:Subscribe} on each filter; a denied one closes
 * the connection, as AWS does for MQTT 3.1.1. A message Moquette delivers to this client without {@code iot:Receive}
 * is dropped here, and a QoS 1 one is acknowledged to Moquette in the client's place so it does not wait for it.
 */
final class PublishForwarder extends ChannelDuplexHandler {

    private static final String BASIC_INGEST_PREFIX = "$aws/rules/";

    private static final Logger log = LoggerFactory.getLogger(PublishForwarder.class);

    private final MessageForwarder forwarder;
    private final ConnectAuthorizer authorizer;
    private final ConnectionTracker connections;
    private final LiveConnections live;
    private final int maxPending;
    private final Deque<Pending> pending = new ArrayDeque<>();

    private boolean accepted;
    private boolean connectSeen;
    /** The connection's compiled policies, from the moment its CONNECT was authorized. */
    private CompiledPolicies policies;
    private boolean closing;
    private String clientId;
    private String principal;
    /** While a certificate connection is live: how security events reach it. */
    private LiveConnections.Registration registration;

    /** Marks a held CONNECT in the queue; its future is the {@link ConnectDecision}. */
    private static final int CONNECT = -2;

    /** An inbound message and, for a forwarded PUBLISH, the Kafka acknowledgement it waits for. */
    private record Pending(Object message, CompletableFuture<?> stored, int qos) {
    }

    PublishForwarder(MessageForwarder forwarder, ConnectAuthorizer authorizer, ConnectionTracker connections,
                     LiveConnections live, int maxPending) {
        this.forwarder = forwarder;
        this.authorizer = authorizer;
        this.connections = connections;
        this.live = live;
        this.maxPending = maxPending;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof MqttPublishMessage publish && publish.decoderResult().isSuccess()) {
            try {
                onPublish(ctx, publish);
            } catch (RuntimeException e) {
                ReferenceCountUtil.release(publish);
                close(ctx);
                throw e;
            }
        } else if (msg instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()
                && !connectSeen) {
            onConnect(ctx, connect);
        } else if (isPingRequest(msg)) {
            ctx.fireChannelRead(msg);
        } else if (pending.isEmpty()) {
            passOn(ctx, msg);
        } else {
            pending.add(new Pending(msg, null, -1));
            if (pending.size() >= maxPending) {
                // also bounds what a client may queue behind a CONNECT still being authorized
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        connectSeen = true;
        MqttConnectPayload payload = connect.payload();
        MqttConnectVariableHeader header = connect.variableHeader();
        ConnectAuthorizer.ConnectAttempt attempt = new ConnectAuthorizer.ConnectAttempt(
                payload.clientIdentifier(), header.hasUserName() ? payload.userName() : null,
                header.isWillFlag() ? payload.willTopic() : null, header.isWillRetain(),
                sourceIp(ctx.channel().remoteAddress()));
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        CompletableFuture<ConnectDecision> decision;
        if (tls == null) {
            decision = CompletableFuture.completedFuture(authorizer.authorizeDevCredentials(attempt));
        } else {
            X509Certificate certificate = peerCertificate(tls);
            decision = certificate == null
                    ? CompletableFuture.completedFuture(new ConnectDecision(ConnectDecision.NOT_AUTHORIZED, null,
                    null, null, null))
                    : authorizer.authorize(certificate, attempt);
        }
        pending.add(new Pending(connect, decision, CONNECT));
        if (decision.isDone()) {
            drain(ctx);
        } else {
            decision.whenComplete((ignored, error) -> reschedule(ctx));
        }
    }

    /** The handshake is complete once MQTT bytes arrive, so the session has the verified client certificate. */
    private static X509Certificate peerCertificate(SslHandler tls) {
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static String sourceIp(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    /** Hands Moquette the CONNECT as authorized, or answers a refusal itself. */
    private void passConnect(ChannelHandlerContext ctx, MqttConnectMessage connect, ConnectDecision decision) {
        if (!decision.accepted()) {
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                            .returnCode(MqttConnectReturnCode.valueOf((byte) decision.returnCode()))
                            .sessionPresent(false).build())
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            closing = true;
            releasePending();
            return;
        }
        policies = decision.policies();
        registration = live.register(decision, new LiveChannel(ctx));
        if (decision.username() == null) {
            ctx.fireChannelRead(connect);
            return;
        }
        // the certificate authenticated the client: its own user name and password are ignored, as AWS does
        MqttConnectVariableHeader h = connect.variableHeader();
        MqttConnectPayload p = connect.payload();
        MqttConnectVariableHeader header = new MqttConnectVariableHeader(h.name(), h.version(), true, true,
                h.isWillRetain(), h.willQos(), h.isWillFlag(), h.isCleanSession(), h.keepAliveTimeSeconds(),
                h.properties());
        MqttConnectPayload payload = new MqttConnectPayload(p.clientIdentifier(), p.willProperties(), p.willTopic(),
                p.willMessageInBytes(), decision.username(), decision.password());
        MqttFixedHeader fixed = connect.fixedHeader();
        ctx.fireChannelRead(new MqttConnectMessage(fixed, header, payload));
    }

    /** Everything but PUBLISH and CONNECT, in order: a SUBSCRIBE needs {@code iot:Subscribe} on each filter. */
    private void passOn(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttSubscribeMessage subscribe && subscribe.decoderResult().isSuccess()) {
            for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
                String filter = subscription.topicFilter();
                if (policies == null || !policies.canSubscribe(filter)) {
                    log.info("Closing the connection of client {}: iot:Subscribe to {} not allowed", clientId,
                            filter);
                    connections.closingForClientError(clientId);
                    ReferenceCountUtil.release(msg);
                    close(ctx);
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void reschedule(ChannelHandlerContext ctx) {
        try {
            ctx.executor().execute(() -> drain(ctx));
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down with the broker; the channel and its buffers go with it
        }
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        String topic = publish.variableHeader().topicName();
        if (!accepted) {
            // AWS: a client must wait for CONNACK; nothing unauthenticated may reach Kafka
            reject(ctx, publish);
            return;
        }
        if (qos > 1) {
            // AWS ignores a QoS 2 PUBLISH without any acknowledgement
            ReferenceCountUtil.release(publish);
            return;
        }
        if (TopicNameValidator.violation(topic).isPresent() || !mayPublish(topic, publish.fixedHeader().isRetain())) {
            // AWS closes an MQTT 3.1.1 connection on an invalid or unauthorized publish
            log.info("Closing the connection of client {}: publish to {} invalid or not allowed", clientId, topic);
            connections.closingForClientError(clientId);
            reject(ctx, publish);
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        IotMessage message = forwarder.deviceMessage(topic, payload, qos, publish.fixedHeader().isRetain(), clientId,
                principal);
        CompletableFuture<Void> stored = forwarder.forward(message);
        // Moquette routes it to this replica's sessions with a payload its session store can always serialise
        MqttPublishMessage forMoquette = publish.replace(MqttBroker.storable(payload));
        ReferenceCountUtil.release(publish);
        pending.add(new Pending(forMoquette, stored, qos));
        if (pending.size() >= maxPending) {
            ctx.channel().config().setAutoRead(false);
        }
        stored.whenComplete((ignored, error) -> reschedule(ctx));
    }

    private boolean mayPublish(String topic, boolean retain) {
        return policies != null && (retain ? policies.canPublishRetained(topic) : policies.canPublish(topic));
    }

    /** Passes on, from the head, every message whose Kafka acknowledgement has arrived. */
    private void drain(ChannelHandlerContext ctx) {
        boolean passed = false;
        while (!closing && !pending.isEmpty()) {
            Pending head = pending.peek();
            if (head.stored() != null && !head.stored().isDone()) {
                break;
            }
            pending.poll();
            if (head.qos() == CONNECT) {
                ConnectDecision decision = head.stored().isCompletedExceptionally()
                        ? new ConnectDecision(ConnectDecision.SERVER_UNAVAILABLE, null, null, null, null)
                        : (ConnectDecision) head.stored().join();
                passConnect(ctx, (MqttConnectMessage) head.message(), decision);
                passed = true;
                continue;
            }
            if (head.stored() != null && head.stored().isCompletedExceptionally()) {
                ReferenceCountUtil.release(head.message());
                if (head.qos() == 1) {
                    // no PUBACK: the device publishes again after reconnecting
                    log.warn("Closing the connection of client {}: Kafka did not acknowledge its QoS 1 publish ({})",
                            clientId, reason(head.stored()));
                    close(ctx);
                    return;
                }
                continue; // QoS 0: dropped, counted by the forwarder
            }
            if (head.stored() == null) {
                passOn(ctx, head.message());
            } else {
                ctx.fireChannelRead(head.message());
            }
            passed = true;
        }
        if (passed) {
            ctx.fireChannelReadComplete();
        }
        if (!closing && !ctx.channel().config().isAutoRead() && pending.size() <= maxPending / 2) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static boolean isPingRequest(Object msg) {
        return msg instanceof MqttMessage message && message.fixedHeader() != null
                && message.fixedHeader().messageType() == MqttMessageType.PINGREQ;
    }

    private static String reason(CompletableFuture<?> failed) {
        try {
            failed.join();
            return "none";
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof TimeoutException ? "no acknowledgement in time" : cause.toString();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!closing) {
            ctx.fireChannelReadComplete();
        }
    }

    /** {@code $aws/rules/<rule>/...}: for the rules engine only (AWS Basic Ingest). */
    static boolean isBasicIngest(String topic) {
        return topic != null && topic.startsWith(BASIC_INGEST_PREFIX);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttConnAckMessage connAck
                && connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            // Moquette has authenticated the client and stored its (possibly assigned) client id on the channel
            accepted = true;
            clientId = NettyUtils.clientID(ctx.channel());
            principal = NettyUtils.userName(ctx.channel());
        }
        if (msg instanceof MqttPublishMessage delivery && (isBasicIngest(delivery.variableHeader().topicName())
                || policies != null && !policies.canReceive(delivery.variableHeader().topicName()))) {
            // iot:Receive denied, or a Basic Ingest topic, which AWS delivers to no subscriber: the client never sees
            // it; Moquette gets the PUBACK it would otherwise wait for
            int packetId = delivery.variableHeader().packetId();
            boolean qos1 = delivery.fixedHeader().qosLevel().value() == 1;
            ReferenceCountUtil.release(delivery);
            promise.setSuccess();
            if (qos1) {
                ctx.executor().execute(() -> {
                    if (!closing) {
                        ctx.fireChannelRead(MqttMessageBuilders.pubAck().packetId(packetId).build());
                    }
                });
            }
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        unregister();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        unregister();
    }

    private void unregister() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /**
     * Security events reach the connection on its own event loop, so its decisions change between two messages and
     * never during one.
     */
    private final class LiveChannel implements LiveConnections.Channel {
        private final ChannelHandlerContext ctx;

        private LiveChannel(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void apply(CompiledPolicies recompiled) {
            onLoop(() -> policies = recompiled);
        }

        @Override
        public void revoke(String why) {
            onLoop(() -> {
                if (!closing) {
                    log.info("Closing the connection of client {}: {}", clientId, why);
                    connections.closingForAuthError(clientId);
                    close(ctx);
                }
            });
        }

        private void onLoop(Runnable task) {
            try {
                ctx.executor().execute(task);
            } catch (RejectedExecutionException e) {
                // the event loop is shutting down with the broker, and the connection with it
            }
        }
    }

    private void reject(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        ReferenceCountUtil.release(publish);
        close(ctx);
    }

    private void close(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        ctx.close();
    }

    private void releasePending() {
        Pending dropped;
        while ((dropped = pending.poll()) != null) {
            ReferenceCountUtil.release(dropped.message());
        }
    }
}

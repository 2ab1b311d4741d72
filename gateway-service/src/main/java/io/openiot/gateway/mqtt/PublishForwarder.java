package io.openiot.gateway.mqtt;

import io.moquette.broker.NettyUtils;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
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
 */
final class PublishForwarder extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(PublishForwarder.class);

    private final MessageForwarder forwarder;
    private final IAuthorizatorPolicy authorization;
    private final ConnectionTracker connections;
    private final int maxPending;
    private final Deque<Pending> pending = new ArrayDeque<>();

    private boolean accepted;
    private boolean closing;
    private String clientId;
    private String principal;

    /** An inbound message and, for a forwarded PUBLISH, the Kafka acknowledgement it waits for. */
    private record Pending(Object message, CompletableFuture<Void> stored, int qos) {
    }

    PublishForwarder(MessageForwarder forwarder, IAuthorizatorPolicy authorization, ConnectionTracker connections,
                     int maxPending) {
        this.forwarder = forwarder;
        this.authorization = authorization;
        this.connections = connections;
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
        } else if (pending.isEmpty() || isPingRequest(msg)) {
            ctx.fireChannelRead(msg);
        } else {
            pending.add(new Pending(msg, null, -1));
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
        if (TopicNameValidator.violation(topic).isPresent()
                || !authorization.canWrite(new Topic(topic), principal, clientId)) {
            // AWS closes an MQTT 3.1.1 connection on an invalid or unauthorized publish
            connections.closingForClientError(clientId);
            reject(ctx, publish);
            return;
        }
        IotMessage message = forwarder.deviceMessage(topic, ByteBufUtil.getBytes(publish.payload()), qos,
                publish.fixedHeader().isRetain(), clientId, principal);
        CompletableFuture<Void> stored = forwarder.forward(message);
        pending.add(new Pending(publish, stored, qos));
        if (pending.size() >= maxPending) {
            ctx.channel().config().setAutoRead(false);
        }
        stored.whenComplete((ignored, error) -> {
            try {
                ctx.executor().execute(() -> drain(ctx));
            } catch (RejectedExecutionException e) {
                // the event loop is shutting down with the broker; the channel and its buffers go with it
            }
        });
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
            ctx.fireChannelRead(head.message());
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

    private static String reason(CompletableFuture<Void> failed) {
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

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttConnAckMessage connAck
                && connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            // Moquette has authenticated the client and stored its (possibly assigned) client id on the channel
            accepted = true;
            clientId = NettyUtils.clientID(ctx.channel());
            principal = NettyUtils.userName(ctx.channel());
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
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

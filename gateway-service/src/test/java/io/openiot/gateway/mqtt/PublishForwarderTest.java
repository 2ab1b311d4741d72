package io.openiot.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.openiot.gateway.auth.PermitAllAuthorizationPolicy;
import io.openiot.gateway.bridge.MessageForwarder;
import io.openiot.gateway.bridge.ReplicaProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What the forwarder does when Kafka does not take a message, with a real producer that cannot reach any broker
 * (nothing listens on port 1) and Netty's in-memory channel in place of a socket.
 */
@Timeout(30)
class PublishForwarderTest {

    private final DefaultKafkaProducerFactory<String, byte[]> producers = new DefaultKafkaProducerFactory<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MessageForwarder forwarder = new MessageForwarder(new KafkaTemplate<>(producers),
            new ReplicaProperties("test"), Clock.systemUTC(), meters);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new PublishForwarder(forwarder, new PermitAllAuthorizationPolicy(), null, 10));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        producers.destroy();
    }

    @Test
    void qos1PublishThatKafkaRejectsIsReleasedAndClosesTheConnectionWithoutReachingMoquette() {
        accept();
        MqttPublishMessage publish = publish(MqttQoS.AT_LEAST_ONCE);

        channel.writeInbound(publish);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(publish.refCnt()).isZero();
        assertThat(meters.get("iot.gateway.publishes.forward.failures").tag("qos", "1").counter().count())
                .isEqualTo(1);
    }

    @Test
    void qos0PublishThatKafkaRejectsIsDroppedAndCountedButTheConnectionStays() {
        accept();
        MqttPublishMessage publish = publish(MqttQoS.AT_MOST_ONCE);

        channel.writeInbound(publish);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isTrue();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(publish.refCnt()).isZero();
        assertThat(meters.get("iot.gateway.publishes.forward.failures").tag("qos", "0").counter().count())
                .isEqualTo(1);
    }

    @Test
    void publishBeforeTheConnectionWasAcceptedClosesItAndNeverReachesKafka() {
        MqttPublishMessage publish = publish(MqttQoS.AT_LEAST_ONCE);

        channel.writeInbound(publish);

        assertThat(channel.isOpen()).isFalse();
        assertThat(publish.refCnt()).isZero();
        assertThat(meters.find("iot.gateway.publishes.forward.failures").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    /** Moquette's CONNACK on its way out tells the forwarder that the client is authenticated. */
    private void accept() {
        channel.writeOutbound(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build());
        channel.releaseOutbound();
    }

    private static MqttPublishMessage publish(MqttQoS qos) {
        return MqttMessageBuilders.publish().topicName("iot/car/1").qos(qos).messageId(7)
                .payload(Unpooled.copiedBuffer("{\"speed\":1}", StandardCharsets.UTF_8)).build();
    }
}

package io.openiot.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import io.openiot.contracts.KafkaTopics;
import io.openiot.gateway.auth.AuthProperties;
import io.openiot.gateway.auth.ConnectAuthorizer;
import io.openiot.gateway.auth.LiveConnections;
import io.openiot.gateway.bridge.MessageForwarder;
import io.openiot.gateway.bridge.ReplicaProperties;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;

/**
 * What the forwarder does while Kafka is away, slow or back, with real producers and Netty's in-memory channel in place
 * of a socket. "Away" is a producer that cannot reach any broker (nothing listens on port 1): its {@code send} blocks
 * for {@code max.block.ms} waiting for metadata, as it does when Kafka is down. The forwarder runs on a real event loop
 * of its own, and every look at the channel goes through that loop, so the Kafka threads that complete the sends never
 * race the test.
 */
@Timeout(60)
class PublishForwarderTest {

    private static final int MAX_PENDING = 10;
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(1500);
    /** Longer than the ack timeout, so a send that waits for metadata is still blocked when the timeout strikes. */
    private static final int AWAY_MAX_BLOCK_MS = 4000;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<DefaultKafkaProducerFactory<String, byte[]>> producers = new ArrayList<>();
    private final List<MessageForwarder> forwarders = new ArrayList<>();
    private final List<ExecutorService> authorizers = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void close() throws Exception {
        if (channel != null) {
            onLoop(channel::finishAndReleaseAll);
        }
        for (MessageForwarder forwarder : forwarders) {
            forwarder.destroy();
        }
        producers.forEach(DefaultKafkaProducerFactory::destroy);
        authorizers.forEach(ExecutorService::shutdownNow);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aPublishWaitingForAnAbsentKafkaNeverBlocksTheEventLoop() throws Exception {
        connectTo(kafkaAway());
        accept();

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            writeInbound(publish(MqttQoS.AT_LEAST_ONCE, i));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // the producer blocks 4 s per send waiting for metadata; the event loop took none of it
        assertThat(elapsedMillis).isLessThan(1000);
        assertThat(onLoop(channel::isOpen)).isTrue();
        assertThat((Object) onLoop(channel::readInbound)).as("nothing reaches Moquette before Kafka acks").isNull();
    }

    @Test
    void pingRequestIsAnsweredWhilePublishesWaitForKafka() throws Exception {
        connectTo(kafkaAway());
        accept();
        writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 1));

        MqttMessage ping = new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                false, 0));
        writeInbound(ping);

        // Moquette (the next handler) gets the PINGREQ and answers it; the PUBLISH ahead of it still waits
        assertThat((Object) onLoop(channel::readInbound)).isSameAs(ping);
        assertThat((Object) onLoop(channel::readInbound)).isNull();
        assertThat(onLoop(channel::isOpen)).isTrue();
    }

    @Test
    void qos1PublishThatKafkaDoesNotAcknowledgeInTimeClosesTheConnectionWithoutPuback() throws Exception {
        connectTo(kafkaAway());
        accept();
        MqttPublishMessage publish = publish(MqttQoS.AT_LEAST_ONCE, 1);
        long started = System.nanoTime();

        writeInbound(publish);

        assertThat(onLoop(channel::isOpen)).as("open while within the ack timeout").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !onLoop(channel::isOpen));
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(ACK_TIMEOUT.toNanos());
        // never handed to Moquette, so no PUBACK was sent
        assertThat((Object) onLoop(channel::readInbound)).isNull();
        assertThat(publish.refCnt()).isZero();
        assertThat(failures(1)).isEqualTo(1);
    }

    @Test
    void qos0PublishThatKafkaDoesNotAcknowledgeInTimeIsDroppedAndCountedButTheConnectionStays() throws Exception {
        connectTo(kafkaAway());
        accept();
        MqttPublishMessage publish = publish(MqttQoS.AT_MOST_ONCE, 0);

        writeInbound(publish);

        await().atMost(Duration.ofSeconds(10)).until(() -> failures(0) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> publish.refCnt() == 0);
        assertThat(onLoop(channel::isOpen)).isTrue();
        assertThat((Object) onLoop(channel::readInbound)).isNull();
    }

    @Test
    void readingStopsWhenMaxPendingPublishesWaitForKafka() throws Exception {
        connectTo(kafkaAway());
        accept();

        for (int i = 0; i < MAX_PENDING - 1; i++) {
            writeInbound(publish(MqttQoS.AT_LEAST_ONCE, i));
        }
        assertThat(onLoop(() -> channel.config().isAutoRead())).isTrue();
        writeInbound(publish(MqttQoS.AT_LEAST_ONCE, MAX_PENDING));

        assertThat(onLoop(() -> channel.config().isAutoRead())).isFalse();
    }

    @Test
    void publishesAcknowledgedByKafkaReachMoquetteInArrivalOrderAndReadingResumes() throws Exception {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        createMessagesTopic(brokers);
        MessageForwarder forwarder = connectTo(kafkaAt(brokers));
        forwarder.warmUp();
        accept();

        List<String> sent = new ArrayList<>();
        List<MqttPublishMessage> fromTheWire = new ArrayList<>();
        for (int i = 0; i < MAX_PENDING; i++) {
            MqttPublishMessage publish = publish(i % 2 == 0 ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, i);
            sent.add(describe(publish));
            fromTheWire.add(publish);
            writeInbound(publish);
        }

        List<Object> passed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Object next;
            while ((next = onLoop(channel::readInbound)) != null) {
                passed.add(next);
            }
            assertThat(passed).hasSize(MAX_PENDING);
        });
        // the same publishes in the same order, each carrying a payload Moquette's session store can always read
        assertThat(passed).map(message -> describe((MqttPublishMessage) message)).containsExactlyElementsOf(sent);
        assertThat(fromTheWire).as("the wire's buffers are released once copied")
                .allSatisfy(publish -> assertThat(publish.refCnt()).isZero());
        assertThat(onLoop(() -> channel.config().isAutoRead())).isTrue();
        assertThat(meters.get("iot.gateway.publishes.forwarded").tag("qos", "1").counter().count())
                .isEqualTo(MAX_PENDING / 2);
        passed.forEach(ReferenceCountUtil::release);
    }

    @Test
    void publishBeforeTheConnectionWasAcceptedClosesItAndNeverReachesKafka() throws Exception {
        connectTo(kafkaAway());
        MqttPublishMessage publish = publish(MqttQoS.AT_LEAST_ONCE, 1);

        writeInbound(publish);

        assertThat(onLoop(channel::isOpen)).isFalse();
        assertThat(publish.refCnt()).isZero();
        assertThat(meters.find("iot.gateway.publishes.forward.failures").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    // --- helpers ---

    private MessageForwarder connectTo(KafkaTemplate<String, byte[]> kafka) throws Exception {
        MqttProperties mqtt = new MqttProperties("127.0.0.1", 0, DataSize.ofKilobytes(128), MAX_PENDING, ACK_TIMEOUT,
                null, Duration.ofSeconds(1), new MqttProperties.Tls(0, null, null, List.of()));
        MessageForwarder forwarder = new MessageForwarder(kafka, new ReplicaProperties("test"), mqtt,
                Clock.systemUTC(), meters);
        forwarders.add(forwarder);
        channel = new EmbeddedChannel();
        ConnectAuthorizer authorizer = devCredentialsOnly();
        PublishForwarder handler = new PublishForwarder(forwarder, authorizer, null,
                new LiveConnections(authorizer, meters), MAX_PENDING);
        onLoop(() -> channel.pipeline().addLast(loop, "kafkaForwarder", handler));
        return forwarder;
    }

    private KafkaTemplate<String, byte[]> kafkaAway() {
        return template(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, AWAY_MAX_BLOCK_MS));
    }

    private KafkaTemplate<String, byte[]> kafkaAt(String brokers) {
        return template(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    private KafkaTemplate<String, byte[]> template(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        producers.add(factory);
        return new KafkaTemplate<>(factory);
    }

    private static void createMessagesTopic(String brokers) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(KafkaTopics.MESSAGES, 2, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** A gateway whose development credentials allow everything (the default development policy). */
    private ConnectAuthorizer devCredentialsOnly() {
        ExecutorService lookups = Executors.newSingleThreadExecutor();
        authorizers.add(lookups);
        return new ConnectAuthorizer(certificateId -> Optional.empty(), lookups,
                new AuthProperties(true, "device", "device-secret", AuthProperties.ALLOW_ALL, "static", Duration.ofSeconds(1),
                        Map.of(), "us-east-1", "000000000000"));
    }

    /**
     * The device's CONNECT (authorized by the development policy, passed on towards Moquette), then Moquette's CONNACK
     * on its way out, which tells the forwarder that the client is authenticated.
     */
    private void accept() throws Exception {
        writeInbound(MqttMessageBuilders.connect().clientId("car-1").username("device")
                .password("device-secret".getBytes(StandardCharsets.UTF_8)).build());
        Object connect = onLoop(channel::readInbound);
        assertThat(connect).isInstanceOf(MqttConnectMessage.class);
        onLoop(() -> channel.writeOutbound(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build()));
        onLoop(channel::releaseOutbound);
    }

    private void writeInbound(Object message) throws Exception {
        onLoop(() -> channel.writeInbound(message));
    }

    private double failures(int qos) {
        return meters.get("iot.gateway.publishes.forward.failures").tag("qos", Integer.toString(qos)).counter()
                .count();
    }

    /** Runs on the forwarder's event loop, where the channel's state lives. */
    private <T> T onLoop(Callable<T> action) throws Exception {
        return loop.submit(action).get(10, TimeUnit.SECONDS);
    }

    private static String describe(MqttPublishMessage publish) {
        return publish.fixedHeader().qosLevel() + " " + publish.variableHeader().packetId() + " "
                + publish.variableHeader().topicName() + " " + publish.payload().toString(StandardCharsets.UTF_8);
    }

    private static MqttPublishMessage publish(MqttQoS qos, int sequence) {
        return MqttMessageBuilders.publish().topicName("iot/car/1").qos(qos).messageId(sequence + 1)
                .payload(Unpooled.copiedBuffer("{\"seq\":" + sequence + "}", StandardCharsets.UTF_8)).build();
    }
}

package io.openiot.gateway.bridge;

import io.openiot.gateway.mqtt.MqttProperties;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The producer for device messages. It is used directly through {@link KafkaTemplate}, not through a Spring Cloud
 * Stream output binding, because a QoS 1 PUBACK may only go out once Kafka has acknowledged that very record:
 * {@code KafkaTemplate.send} gives a future per record, {@code StreamBridge.send} does not.
 */
@Configuration(proxyBeanMethods = false)
class KafkaProducerConfiguration {

    private static final int MAX_REQUEST_TIMEOUT_MS = 10_000;
    /** Kafka's default {@code linger.ms}, used when none is configured. */
    private static final int DEFAULT_LINGER_MS = 5;

    @Bean
    ProducerFactory<String, byte[]> messageProducerFactory(KafkaProperties kafka, MqttProperties mqtt) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // a PUBACK promises the message is stored: all in-sync replicas, no duplicates from producer retries
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // send blocks while the topic's metadata is missing (Kafka away drops it) or the buffer is full. It blocks only
        // the gateway's sender thread (MessageForwarder), never an event loop, so it may wait as long as the devices
        // do: a shorter bound would fail publishes before kafka-ack-timeout
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, mqtt.kafkaAckTimeout().toMillis());
        // The gateway's own timer (kafka-ack-timeout, from the publish's arrival) decides when a device stops waiting.
        // The producer's delivery timeout counts from the creation of the batch a record joined, which while Kafka is
        // away can be much older than the record: were it the same, it would fail records before their time. Twice the
        // ack timeout leaves the decision to the gateway; a record it gave up on may still be stored if Kafka returns
        // within that time (the device, told nothing, resends: at least once).
        int deliveryTimeout = (int) Math.min(Integer.MAX_VALUE, 2 * mqtt.kafkaAckTimeout().toMillis());
        Object linger = config.get(ProducerConfig.LINGER_MS_CONFIG);
        int lingerMs = linger == null ? DEFAULT_LINGER_MS : Integer.parseInt(linger.toString());
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.max(1, Math.min(MAX_REQUEST_TIMEOUT_MS, deliveryTimeout - lingerMs)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout);
        return new DefaultKafkaProducerFactory<>(config);
    }

    @Bean
    KafkaTemplate<String, byte[]> messageKafkaTemplate(ProducerFactory<String, byte[]> messageProducerFactory) {
        return new KafkaTemplate<>(messageProducerFactory);
    }
}
